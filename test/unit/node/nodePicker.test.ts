/* What n8n's editor shows of both nodes together: the picker entry, the shared Authentication and credentials, docs links. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Microsoft365Defender } from '../../../nodes/Microsoft365Defender/Microsoft365Defender.node';
import { Microsoft365DefenderTrigger } from '../../../nodes/Microsoft365Defender/Microsoft365DefenderTrigger.node';

const node = new Microsoft365Defender().description;
const trigger = new Microsoft365DefenderTrigger().description;
const property = (props: INodeProperties[], name: string) => props.filter((p) => p.name === name);

test("the picker merges the two nodes (same name without 'Trigger') under the trigger's description: it describes both", () => {
	// n8n-editor-ui generateMergedNodesAndActions: name.replace('Trigger', '') === the action node's name
	// -> one entry whose description is the trigger's, shown under "What happens next?" too
	expect(trigger.name.replace('Trigger', '')).toBe(node.name);
	expect(trigger.description).toMatch(/triage .*incidents and alerts/i);
	expect(trigger.description).toMatch(/hunting/i);
	expect(trigger.description).toMatch(/start a workflow when incidents or alerts are created or updated/i);
});

test('Authentication and the credentials it selects: one definition, the same in both nodes', () => {
	const [nodeAuthentication] = property(node.properties, 'authentication');
	const [triggerAuthentication] = property(trigger.properties, 'authentication');
	expect(triggerAuthentication).toBe(nodeAuthentication);
	expect((nodeAuthentication.options as INodePropertyOptions[]).map((o) => o.name)).toEqual([
		'Client Credentials (App-Only)',
		'Device Code (User Sign-In)',
		'Managed Identity',
	]);
	expect(trigger.credentials).toBe(node.credentials);
	const [nodeIncludeAlerts] = property(
		property(node.properties, 'options').flatMap((p) => (p.options ?? []) as INodeProperties[]),
		'includeAlerts',
	);
	const [triggerIncludeAlerts] = property(property(trigger.properties, 'options')[0].options as INodeProperties[], 'includeAlerts');
	expect(triggerIncludeAlerts.description).toBe(nodeIncludeAlerts.description);
	expect(triggerIncludeAlerts.displayOptions).toEqual({ show: { '/event': ['incidentCreated', 'incidentUpdated'] } });
});

test('docs links of the codex are https URLs', () => {
	const codex = JSON.parse(readFileSync(join(__dirname, '../../../nodes/Microsoft365Defender/Microsoft365Defender.node.json'), 'utf8')) as {
		resources: Record<string, Array<{ url: string }>>;
	};
	const urls = Object.values(codex.resources).flat().map((r) => r.url);
	expect(urls.length).toBeGreaterThan(0);
	for (const url of urls) expect(new URL(url).protocol).toBe('https:');
});
