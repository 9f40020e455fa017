// npm start offers the templates of examples/ as a user would set them up after importing: the demo's app
// credential picked and every ticket / chat request pointed at the demo's ticket sink (never at the
// templates' example.com placeholders); the AI agent's template, which needs a chat model, is left out.
import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { templateWorkflows } = require('../../../demo/workflows.js') as {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	templateWorkflows(credential: { type: string; id: string; name: string }, sinkUrl: string): any[];
};

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples');
const credential = { type: 'microsoft365DefenderClientCredentialsApi', id: 'demoAppSecret001', name: 'Simulated tenant: app (client secret)' };
const sink = 'http://127.0.0.1:5690/tickets';

test('every template that needs only the Defender credential, none other', () => {
	const shipped = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, f), 'utf8')));
	const needsOther = shipped.filter((t) => t.nodes.some((n: { credentials?: object }) => Object.keys(n.credentials ?? {}).some((type) => type !== credential.type)));
	expect(needsOther.map((t) => t.id)).toEqual(['tplAgentTriage01']);
	const offered = templateWorkflows(credential, sink).map((t) => t.id);
	expect(offered.sort()).toEqual(shipped.filter((t) => !needsOther.includes(t)).map((t) => t.id).sort());
});

test('the credential picked and every HTTP Request node pointed at the sink', () => {
	for (const template of templateWorkflows(credential, sink)) {
		for (const node of template.nodes) {
			for (const ref of Object.values(node.credentials ?? {})) expect({ node: node.name, ref }).toEqual({ node: node.name, ref: { id: credential.id, name: credential.name } });
			if (node.type === 'n8n-nodes-base.httpRequest') expect({ node: node.name, url: node.parameters.url }).toEqual({ node: node.name, url: sink });
		}
		expect(JSON.stringify(template)).not.toMatch(/example\.com\//);
	}
});
