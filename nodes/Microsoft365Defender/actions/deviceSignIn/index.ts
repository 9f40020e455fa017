import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as complete from './complete.operation';
import * as signOut from './signOut.operation';
import * as start from './start.operation';
import * as test from './test.operation';

export { start, complete, test, signOut };

/** This resource's option in the node's Resource parameter (actions/resources.ts registers it). */
export const resource: INodePropertyOptions = {
	name: 'Device Code Sign-In',
	value: 'deviceSignIn',
	description: 'Start, complete, test or remove the sign-in of a Device Code credential (with Authentication set to Device Code only)',
};

/** Resource `deviceSignIn`: the device-code sign-in steps, done deliberately from the editor. */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['deviceSignIn'] } },
		options: [
			{
				name: 'Complete Sign-In',
				value: 'complete',
				description: 'Check once whether the code was entered, and store the sign-in',
				action: 'Complete the device code sign in',
			},
			{
				name: 'Sign Out',
				value: 'signOut',
				description: 'Remove the stored sign-in; the next run starts a new one',
				action: 'Sign out',
			},
			{
				name: 'Start Sign-In',
				value: 'start',
				description: 'Get a code to enter at the Microsoft sign-in page',
				action: 'Start a device code sign in',
			},
			{
				name: 'Test Sign-In',
				value: 'test',
				description: 'Call Microsoft Graph with the stored sign-in and show the account',
				action: 'Test the device code sign in',
			},
		],
		default: 'start',
	},
	...start.description,
	...complete.description,
	...test.description,
	...signOut.description,
];
