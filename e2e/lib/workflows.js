'use strict';
// Builders for the workflow JSON that `n8n import:workflow` takes. `n8n execute` needs a Manual Trigger
// start node, and ignores pin data in cli mode, so input items come from a Code node.

const DEFENDER_NODE_TYPE = 'n8n-nodes-microsoft-365-defender.microsoft365Defender';
const DEFENDER_TRIGGER_TYPE = 'n8n-nodes-microsoft-365-defender.microsoft365DefenderTrigger';

let nodeCounter = 0;
const nodeId = () => `00000000-0000-4000-8000-${String(++nodeCounter).padStart(12, '0')}`;

/** A Code node that outputs the given items' json (run once for all items). */
function codeNode(name, items) {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [0, 0],
		parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
	};
}

/**
 * A Microsoft 365 Defender node.
 * @param {string} name
 * @param {object} parameters       node parameters (authentication, resource, operation, ...)
 * @param {{ type: string, id: string, name: string }} credential  credential to use
 * @param {{ continueOnFail?: boolean }} [options]
 */
function defenderNode(name, parameters, credential, options = {}) {
	return {
		id: nodeId(),
		name,
		type: DEFENDER_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
	};
}

/**
 * A Microsoft 365 Defender Trigger (polling every minute unless `pollTimes` is given).
 * @param {string} name
 * @param {object} parameters       authentication, event, filters, options, pollTimes
 * @param {{ type: string, id: string, name: string }} credential
 */
function defenderTriggerNode(name, parameters, credential) {
	return {
		id: nodeId(),
		name,
		type: DEFENDER_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...parameters },
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	};
}

/**
 * An HTTP Request node POSTing JSON to `url` (a ticketing system's webhook, in the demo and the tests a
 * local sink). `jsonBody` is an n8n expression string; by default the incident's id, title and severity.
 */
function httpPostNode(name, url, jsonBody = '={{ JSON.stringify({ incidentId: $json.id, title: $json.displayName, severity: $json.severity }) }}') {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [0, 0],
		parameters: { method: 'POST', url, sendBody: true, specifyBody: 'json', jsonBody, options: {} },
	};
}

/**
 * Manual Trigger -> (optional Code node "Input" emitting `items`) -> nodes..., each connected to the next.
 * @returns a workflow object for N8nInstance.importWorkflows
 */
function manualWorkflow({ id, name, items, nodes }) {
	const chain = [
		{ id: nodeId(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		...(items ? [codeNode('Input', items)] : []),
		...nodes,
	];
	return linkedWorkflow({ id, name, chain });
}

/** A workflow whose nodes are connected one after the other (positions laid out left to right). */
function linkedWorkflow({ id, name, chain, active = false, settings = {} }) {
	const connections = {};
	chain.forEach((node, i) => {
		node.position = [i * 240, 0];
		if (i > 0) connections[chain[i - 1].name] = { main: [[{ node: node.name, type: 'main', index: 0 }]] };
	});
	return { id, name, active, nodes: chain, connections, settings: { executionOrder: 'v1', ...settings }, pinData: {} };
}

module.exports = {
	DEFENDER_NODE_TYPE,
	DEFENDER_TRIGGER_TYPE,
	codeNode,
	defenderNode,
	defenderTriggerNode,
	httpPostNode,
	manualWorkflow,
	linkedWorkflow,
};
