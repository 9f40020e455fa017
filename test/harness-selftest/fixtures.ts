/* Throwaway node, trigger and credential types used only to test the harness itself. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	NodeApiError,
	NodeConnectionTypes,
	type ICredentialDataDecryptedObject,
	type ICredentialTestFunctions,
	type ICredentialType,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

// ---------- a local API the throwaway node talks to ----------

export interface SeenRequest {
	method: string;
	path: string;
	authorization?: string;
	apiKey?: string;
}

export interface FakeApi {
	url: string;
	requests: SeenRequest[];
	/** tokens the API accepts as `Bearer <token>`; /token issues `token-<n>` and adds it */
	validTokens: Set<string>;
	tokensIssued: number;
	events: IDataObject[];
	/** when true, /events answers 500 */
	failEvents: boolean;
	close(): Promise<void>;
}

export async function startFakeApi(): Promise<FakeApi> {
	const api = {
		requests: [] as SeenRequest[],
		validTokens: new Set<string>(['static-token']),
		tokensIssued: 0,
		events: [] as IDataObject[],
		failEvents: false,
	} as FakeApi;
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		api.requests.push({
			method: req.method ?? '',
			path: url.pathname + url.search,
			authorization: req.headers.authorization,
			apiKey: req.headers['x-api-key'] as string | undefined,
		});
		const send = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (url.pathname === '/token') {
			const token = `token-${++api.tokensIssued}`;
			api.validTokens.add(token);
			return send(200, { access_token: token, expires_in: 3600 });
		}
		const bearer = req.headers.authorization?.replace(/^Bearer /, '');
		const authorized =
			(bearer !== undefined && api.validTokens.has(bearer)) || req.headers['x-api-key'] === 'k1';
		if (!authorized) return send(401, { error: { code: 'InvalidAuthenticationToken', message: 'Token refused' } });
		const item = /^\/items\/(.+)$/.exec(url.pathname);
		if (item) {
			if (item[1] === 'missing') return send(404, { error: { code: 'NotFound', message: 'No such item' } });
			return send(200, { id: item[1] });
		}
		if (url.pathname === '/events') {
			if (api.failEvents) return send(500, { error: { code: 'Boom', message: 'Events unavailable' } });
			const since = Number(url.searchParams.get('since') ?? 0);
			return send(200, { value: api.events.filter((e) => (e.seq as number) > since) });
		}
		if (url.pathname === '/fail') return send(500, { error: { code: 'Boom', message: 'Server broke' } });
		send(404, { error: { code: 'NotFound', message: 'Unknown path' } });
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	api.close = async () => await new Promise<void>((resolve) => server.close(() => resolve()));
	return api;
}

// ---------- credential types ----------

/** `authenticate` as a function, no preAuthentication */
export class FunctionAuthApi implements ICredentialType {
	name = 'harnessFunctionAuthApi';

	displayName = 'Harness Function Auth';

	properties = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string' as const, default: '' },
		{ displayName: 'Token', name: 'token', type: 'string' as const, default: 'static-token', typeOptions: { password: true } },
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${credentials.token as string}` },
		};
	}
}

/** declarative IAuthenticateGeneric with an expression */
export class GenericAuthApi implements ICredentialType {
	name = 'harnessGenericAuthApi';

	displayName = 'Harness Generic Auth';

	properties = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string' as const, default: '' },
		{ displayName: 'API Key', name: 'apiKey', type: 'string' as const, default: '' },
	];

	authenticate = {
		type: 'generic' as const,
		properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } },
	};
}

/** hidden expirable `accessToken`, filled by preAuthentication from the API's /token */
export class PreAuthApi implements ICredentialType {
	name = 'harnessPreAuthApi';

	displayName = 'Harness PreAuth';

	properties = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string' as const, default: '' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string' as const, default: 'client-1' },
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden' as const,
			default: '',
			typeOptions: { expirable: true, password: true },
		},
		{ displayName: 'Refresh Count', name: 'refreshCount', type: 'hidden' as const, default: 0 },
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.baseUrl as string}/token`,
			json: true,
		})) as IDataObject;
		return {
			accessToken: response.access_token as string,
			refreshCount: ((credentials.refreshCount as number) ?? 0) + 1,
			// not declared as a property: written to the database, dropped when read back
			undeclaredNote: 'stored but never read back',
		};
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${credentials.accessToken as string}` },
		};
	}
}

export const allCredentialTypes = () => [new FunctionAuthApi(), new GenericAuthApi(), new PreAuthApi()];

// ---------- an action node ----------

const credentialChoice = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options' as const,
	options: [
		{ name: 'Function', value: 'harnessFunctionAuthApi' },
		{ name: 'Generic', value: 'harnessGenericAuthApi' },
		{ name: 'PreAuth', value: 'harnessPreAuthApi' },
	],
	default: 'harnessFunctionAuthApi',
};

const credentialsFor = (names: string[]) =>
	names.map((name) => ({
		name,
		required: true,
		displayOptions: { show: { authentication: [name] } },
		testedBy: name === 'harnessFunctionAuthApi' ? 'testFunctionAuth' : undefined,
	}));

const credentialNames = ['harnessFunctionAuthApi', 'harnessGenericAuthApi', 'harnessPreAuthApi'];

export class HarnessNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Node',
		name: 'harnessNode',
		group: ['transform'],
		version: 1,
		description: 'Fetches items by id',
		defaults: { name: 'Harness Node' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsFor(credentialNames),
		properties: [
			credentialChoice,
			{ displayName: 'Item ID', name: 'itemId', type: 'string', default: '', required: true },
			{ displayName: 'Suffix', name: 'suffix', type: 'string', default: '-default' },
		],
	};

	methods = {
		listSearch: {
			async searchItems(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				const type = this.getNodeParameter('authentication', 0) as string;
				const credentials = await this.getCredentials(type);
				const all = ['alpha', 'beta', 'gamma'].filter((name) => !filter || name.includes(filter));
				const checked = (await this.helpers.httpRequestWithAuthentication.call(this, type, {
					url: `${credentials.baseUrl as string}/items/${all.join(',') || 'none'}`,
					json: true,
				})) as IDataObject;
				return { results: all.map((name) => ({ name, value: `${name}@${checked.id as string}` })) };
			},
		},
		credentialTest: {
			async testFunctionAuth(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				try {
					await this.helpers.request({
						uri: `${data.baseUrl as string}/items/test`,
						headers: { Authorization: `Bearer ${data.token as string}` },
						json: true,
					});
					return { status: 'OK', message: 'Connection successful' };
				} catch (error) {
					return { status: 'Error', message: `Refused: ${(error as Error).message}` };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const type = this.getNodeParameter('authentication', 0) as string;
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const itemId = this.getNodeParameter('itemId', i) as string;
				const suffix = this.getNodeParameter('suffix', i) as string;
				if (itemId === '') throw new Error('Item ID is empty');
				const credentials = await this.getCredentials(type, i);
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, type, {
					url: `${credentials.baseUrl as string}/items/${itemId}`,
					json: true,
				})) as IDataObject;
				out.push({ json: { ...response, suffix, mode: this.getMode() }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				if (error instanceof NodeApiError) throw error;
				throw new NodeApiError(this.getNode(), error as JsonObject, { itemIndex: i });
			}
		}
		return [out];
	}
}

// ---------- a polling trigger ----------

export class HarnessTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Trigger',
		name: 'harnessTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Emits new events',
		defaults: { name: 'Harness Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsFor(credentialNames),
		properties: [credentialChoice, { displayName: 'Fail', name: 'fail', type: 'boolean', default: false }],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const staticData = this.getWorkflowStaticData('node');
		const type = this.getNodeParameter('authentication') as string;
		const credentials = await this.getCredentials(type);
		staticData.pollCount = ((staticData.pollCount as number) ?? 0) + 1;
		staticData.lastMode = `${this.getMode()}/${this.getActivationMode()}`;
		if (this.getNodeParameter('fail') === true) {
			await this.helpers.httpRequestWithAuthentication.call(this, type, {
				url: `${credentials.baseUrl as string}/fail`,
				json: true,
			});
		}
		const since = (staticData.since as number) ?? 0;
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, type, {
			url: `${credentials.baseUrl as string}/events?since=${since}`,
			json: true,
		})) as { value: IDataObject[] };
		const events = response.value;
		if (events.length === 0) return null;
		staticData.since = Math.max(...events.map((e) => e.seq as number));
		return [this.helpers.returnJsonArray(events)];
	}
}
