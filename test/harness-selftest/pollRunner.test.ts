import type { IPollFunctions } from 'n8n-workflow';

import { createPollRunner, CredentialStore } from '../harness';
import { allCredentialTypes, HarnessTrigger, startFakeApi, type FakeApi } from './fixtures';

describe('harness poll runner: what n8n persists', () => {
	let api: FakeApi;
	let store: CredentialStore;
	let setup: { store: CredentialStore; credentials: { harnessFunctionAuthApi: { id: string; name: string } } };
	beforeEach(async () => {
		api = await startFakeApi();
		store = new CredentialStore(allCredentialTypes());
		setup = { store, credentials: { harnessFunctionAuthApi: store.add('harnessFunctionAuthApi', { baseUrl: api.url }) } };
	});
	afterEach(async () => await api.close());

	test('the activation poll is saved even when it returns null', async () => {
		const trigger = createPollRunner(new HarnessTrigger(), setup);
		const r1 = await trigger.poll();
		expect(r1).toEqual({ items: null, error: undefined, activation: true, saved: true });
		expect(trigger.persistedNodeStaticData).toEqual({ pollCount: 1, lastMode: 'trigger/init' });
		expect(trigger.persistedStaticData).toEqual({
			'node:Harness Trigger': { pollCount: 1, lastMode: 'trigger/init' },
		});
	});

	test('a later poll that returns null changes memory only', async () => {
		const trigger = createPollRunner(new HarnessTrigger(), setup);
		await trigger.poll();
		const r2 = await trigger.poll();
		expect(r2).toMatchObject({ items: null, activation: false, saved: false });
		// the PollContext is the activation's: its activation mode stays 'init'
		expect(trigger.nodeStaticData).toEqual({ pollCount: 2, lastMode: 'trigger/init' });
		expect(trigger.persistedNodeStaticData).toEqual({ pollCount: 1, lastMode: 'trigger/init' });
	});

	test('a poll that returns items is saved', async () => {
		const trigger = createPollRunner(new HarnessTrigger(), setup);
		await trigger.poll();
		api.events.push({ seq: 1, name: 'e1' }, { seq: 2, name: 'e2' });
		const r2 = await trigger.poll();
		expect(r2.saved).toBe(true);
		expect(r2.items?.[0].map((i) => i.json)).toEqual([
			{ seq: 1, name: 'e1' },
			{ seq: 2, name: 'e2' },
		]);
		expect(trigger.persistedNodeStaticData).toEqual({ pollCount: 2, lastMode: 'trigger/init', since: 2 });
		expect(trigger.saves).toHaveLength(2);
	});

	test('a poll that throws keeps its in-memory change, saves nothing, and the next poll runs', async () => {
		const trigger = createPollRunner(new HarnessTrigger(), setup);
		await trigger.poll();
		// the API now refuses the credential's token
		api.validTokens.clear();
		const r2 = await trigger.poll();
		expect(r2.error?.constructor.name).toBe('NodeApiError');
		expect(r2).toMatchObject({ items: null, activation: false, saved: false });
		expect(trigger.nodeStaticData).toEqual({ pollCount: 2, lastMode: 'trigger/init' });
		expect(trigger.persistedNodeStaticData).toEqual({ pollCount: 1, lastMode: 'trigger/init' });
		api.validTokens.add('static-token');
		api.events.push({ seq: 5 });
		const r3 = await trigger.poll();
		expect(r3.error).toBeUndefined();
		expect(trigger.persistedNodeStaticData).toEqual({ pollCount: 3, lastMode: 'trigger/init', since: 5 });
	});

	test("a failed 'init' activation saves nothing; n8n's retry starts from its in-memory change", async () => {
		const trigger = createPollRunner(new HarnessTrigger(), setup);
		api.failEvents = true;
		const r1 = await trigger.poll();
		expect(r1).toMatchObject({ items: null, activation: true, saved: false, willRetryActivation: true });
		expect((r1.error as { httpCode?: string }).httpCode).toBe('500');
		expect(trigger.isActive).toBe(false);
		expect(trigger.persistedStaticData).toEqual({});
		expect(trigger.nodeStaticData).toEqual({ pollCount: 1, lastMode: 'trigger/init' });
		api.failEvents = false;
		const retry = await trigger.poll();
		expect(retry).toMatchObject({ activation: true, saved: true });
		expect(trigger.persistedNodeStaticData).toEqual({ pollCount: 2, lastMode: 'trigger/init' });
	});

	test('a failed activation whose message mentions "Authorization" is not retried', async () => {
		const trigger = createPollRunner(new HarnessTrigger(), setup);
		api.validTokens.clear();
		const r1 = await trigger.poll();
		expect(r1.error?.message).toMatch(/Authorization failed/);
		expect(r1.willRetryActivation).toBe(false);
		await expect(trigger.poll()).rejects.toThrow(/not retried.*restart\(\)/);
		api.validTokens.add('static-token');
		expect((await trigger.restart().poll()).saved).toBe(true);
	});

	test("a failed 'activate' (user switches the workflow on) is refused, not retried", async () => {
		const trigger = createPollRunner(new HarnessTrigger(), { ...setup, activation: 'activate' });
		api.failEvents = true;
		const r1 = await trigger.poll();
		expect(r1).toMatchObject({ activation: true, saved: false, willRetryActivation: false });
		await expect(trigger.poll()).rejects.toThrow(/not retried/);
	});

	test('a poll that fails inside the node (parameter fail) is reported as error', async () => {
		const trigger = createPollRunner(new HarnessTrigger(), { ...setup, parameters: { fail: true } });
		const r1 = await trigger.poll();
		expect(r1.error?.message).toBeDefined();
		expect((r1.error as { httpCode?: string }).httpCode).toBe('500');
	});

	test('Fetch Test Event runs in manual mode and saves nothing', async () => {
		const trigger = createPollRunner(new HarnessTrigger(), setup);
		await trigger.poll();
		api.events.push({ seq: 1 });
		const test = await trigger.fetchTestEvent();
		expect(test.items?.[0].map((i) => i.json)).toEqual([{ seq: 1 }]);
		expect(test.saved).toBe(false);
		expect(trigger.persistedNodeStaticData).toEqual({ pollCount: 1, lastMode: 'trigger/init' });
		// the active workflow's memory is not touched either: the next poll still sees the event
		const r2 = await trigger.poll();
		expect(r2.items?.[0].map((i) => i.json)).toEqual([{ seq: 1 }]);
	});

	test('manual mode sees the mode/activation "manual"', async () => {
		api.events.push({ seq: 1 });
		const node = new HarnessTrigger();
		const seen: string[] = [];
		const poll = node.poll;
		node.poll = async function (this: IPollFunctions) {
			seen.push(`${this.getMode()}/${this.getActivationMode()}`);
			return await poll.call(this);
		};
		const trigger = createPollRunner(node, setup);
		await trigger.fetchTestEvent();
		expect(seen).toEqual(['manual/manual']);
		expect(trigger.persistedStaticData).toEqual({});
	});

	test('restart() keeps only what was persisted, and activates again with init', async () => {
		const trigger = createPollRunner(new HarnessTrigger(), { ...setup, activation: 'activate' });
		const r1 = await trigger.poll();
		expect(r1.saved).toBe(true);
		await trigger.poll(); // null: memory only
		expect(trigger.nodeStaticData?.pollCount).toBe(2);
		const restarted = trigger.restart();
		expect(restarted.isActive).toBe(false);
		expect(restarted.persistedNodeStaticData).toEqual({ pollCount: 1, lastMode: 'trigger/activate' });
		const r = await restarted.poll();
		expect(r.activation).toBe(true);
		expect(restarted.nodeStaticData).toEqual({ pollCount: 2, lastMode: 'trigger/init' });
	});
});
