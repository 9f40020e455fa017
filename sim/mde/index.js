// @ts-check
'use strict';

/**
 * The simulated Defender for Endpoint API's state: machines, machine actions, indicators, its clock, rate
 * limits and which public clients hold (admin-consented) delegated MDE permissions. Lives on `cloud.mde`.
 */

const { MachineActions } = require('./machineActions');
const { Indicators, validateIndicator } = require('./indicators');
const { makeMachine, seedMachines, assertMachineValues, SEED_MACHINE_IDS } = require('./machines');
const { RateLimiter, PerApiRateLimiter } = require('./rateLimit');
const { MDE_DELEGATED_SCOPES } = require('./permissions');

const MINUTE = 60000;
const HOUR = 3600000;
/** api/*: "100 calls per minute and 1,500 calls per hour", for each API. */
const DEFAULT_RATE_LIMIT = [{ requests: 100, windowMs: MINUTE }, { requests: 1500, windowMs: HOUR }];
/** api/get-package-sas-uri: 2 calls a minute, 120 an hour. */
const DEFAULT_PACKAGE_URI_RATE_LIMIT = [{ requests: 2, windowMs: MINUTE }, { requests: 120, windowMs: HOUR }];
/** A self-registered public client with every MDE delegated permission consented (the default Graph client has none). */
const MDE_PUBLIC_CLIENT_ID = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';

class MdeSimulation {
	/** @param {{ machines?: boolean }} [options] */
	constructor(options = {}) {
		this.clockOffsetMs = 0;
		const now = () => this.now();
		/** @type {Record<string, any>[]} */
		this.machines = options.machines === false ? [] : seedMachines(Date.now());
		this.actions = new MachineActions(now);
		this.indicators = new Indicators(now);
		/** per API (route): each API page states its own limit */
		this.rateLimit = new PerApiRateLimiter(DEFAULT_RATE_LIMIT);
		this.packageUriRateLimit = new RateLimiter(DEFAULT_PACKAGE_URI_RATE_LIMIT);
		/** @type {Map<string, string[]>} public client id -> consented MDE delegated permissions */
		this.delegatedConsent = new Map([[MDE_PUBLIC_CLIENT_ID, [...MDE_DELEGATED_SCOPES]]]);
	}

	/** The MDE clock: real time plus what tests advanced it by. */
	now() {
		return Date.now() + this.clockOffsetMs;
	}
	/** Moves machine actions on by `ms` without waiting. @param {number} ms */
	advanceTime(ms) {
		this.clockOffsetMs += Number(ms);
	}

	/** @param {Record<string, any>} [partial] */
	addMachine(partial = {}) {
		assertMachineValues(partial);
		if (partial.id && this.findMachine(partial.id)) throw new Error(`Machine ${partial.id} exists already.`);
		const machine = makeMachine(partial, Date.now());
		this.machines.push(machine);
		return machine;
	}
	/** A tenant without machines (Defender answers 404 to the list). */
	clearMachines() {
		this.machines.length = 0;
	}
	/** By id or computer name (api/get-machine-by-id). @param {string} idOrName */
	findMachine(idOrName) {
		const key = idOrName.toLowerCase();
		return this.machines.find((m) => m.id === key) || this.machines.find((m) => m.computerDnsName.toLowerCase() === key);
	}

	/**
	 * Adds an indicator as if submitted in the portal (Defender's validation applies).
	 * @param {Record<string, any>} body
	 */
	addIndicator(body) {
		validateIndicator(body);
		return this.indicators.submit(body, { id: 'soc.analyst@simcontoso.onmicrosoft.com', displayName: 'soc.analyst@simcontoso.onmicrosoft.com', kind: 'user' }).indicator;
	}

	/**
	 * @param {{ requests: number, windowMs: number }[] | null} windows null = no limit
	 * @param {{ requests: number, windowMs: number }[] | null} [packageUriWindows]
	 */
	setRateLimit(windows, packageUriWindows) {
		this.rateLimit.set(windows);
		if (packageUriWindows !== undefined) this.packageUriRateLimit.set(packageUriWindows);
	}

	/** Grants (admin consent) a public client MDE delegated permissions; [] removes them. @param {string} clientId @param {string[]} scopes */
	setDelegatedConsent(clientId, scopes) {
		if (scopes.length) this.delegatedConsent.set(clientId, [...scopes]);
		else this.delegatedConsent.delete(clientId);
	}
}

module.exports = { MdeSimulation, MDE_PUBLIC_CLIENT_ID, SEED_MACHINE_IDS, DEFAULT_RATE_LIMIT, DEFAULT_PACKAGE_URI_RATE_LIMIT };
