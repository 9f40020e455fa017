/**
 * Every resource of the action node, registered once: its option in the one Resource parameter, its
 * operations and fields, and the router's lookup. A resource module (actions/<resource>/index.ts) exports
 * `resource` (the option), `description` (the Operation parameter and the operations' fields) and one
 * module per operation (`execute`). A new resource is one import and one entry here.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as alert from './alert';
import * as device from './device';
import * as deviceSignIn from './deviceSignIn';
import * as huntingQuery from './huntingQuery';
import * as incident from './incident';
import * as indicator from './indicator';

export interface ResourceModule {
	resource: INodePropertyOptions;
	description: INodeProperties[];
}

export const RESOURCES: ReadonlyArray<ResourceModule & Record<string, unknown>> = [
	incident,
	alert,
	huntingQuery,
	deviceSignIn,
	device,
	indicator,
];

/**
 * One Resource parameter for every credential: n8n's node picker lists a node's actions per resource
 * property, so a second one (say, for device code only) lists every action twice. Device Code Sign-In is
 * offered to all; its operations refuse another Authentication with a message that says so.
 */
export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: RESOURCES.map((module) => module.resource).sort((a, b) => a.name.localeCompare(b.name)),
	// the contract's default (INTERFACE.md); the rule only sees that the options are not a literal list
	// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options
	default: 'incident',
};

/** The Operation parameter and fields of every resource. */
export const resourceDescriptions: INodeProperties[] = RESOURCES.flatMap((module) => module.description);

/** The resource module registered under `value`, if any. */
export function resourceModule(value: string): (ResourceModule & Record<string, unknown>) | undefined {
	return RESOURCES.find((module) => module.resource.value === value);
}
