// @ts-check
'use strict';

/**
 * Defender for Endpoint machine actions (api/machineaction): created Pending, InProgress after `pendingMs`,
 * then Succeeded (or the outcome a test asked for) after `inProgressMs` more, on the sim's MDE clock, which
 * tests can move forward (`advanceTime`). Status is worked out when an action is read, so nothing runs in
 * the background.
 */

const crypto = require('crypto');

const TERMINAL = ['Succeeded', 'Failed', 'TimeOut', 'Cancelled'];
const OUTCOMES = ['Succeeded', 'Failed', 'TimeOut', 'Cancelled'];

/**
 * @typedef {{ id: string, type: string, scope: string | null, requestor: string, requestorComment: string, status: string,
 *   machineId: string, computerDnsName: string, creationDateTimeUtc: string, lastUpdateDateTimeUtc: string,
 *   cancellationRequestor: string | null, cancellationComment: string | null, cancellationDateTimeUtc: string | null,
 *   errorHResult: number, commands: any[], externalId: string | null, requestSource: string, title: string | null,
 *   relatedFileInfo: { fileIdentifier: string, fileIdentifierType: string } | null }} MachineAction
 * @typedef {{ action: MachineAction, createdMs: number, pendingMs: number, inProgressMs: number, outcome: string, finalMs?: number }} ActionRecord
 * @typedef {{ outcome: string, type?: string, machineId?: string, times: number }} OutcomeRule
 */

/** @param {number} ms */
const mdeDate = (ms) => new Date(ms).toISOString().replace('Z', '0000Z');

class MachineActions {
	/** @param {() => number} now the MDE clock (ms) */
	constructor(now) {
		this.now = now;
		/** @type {ActionRecord[]} */
		this.records = [];
		this.timing = { pendingMs: 2000, inProgressMs: 5000 };
		/** @type {OutcomeRule[]} */
		this.outcomeRules = [];
	}

	/** @param {{ pendingMs?: number, inProgressMs?: number }} timing */
	setTiming(timing) {
		if (timing.pendingMs !== undefined) this.timing.pendingMs = Number(timing.pendingMs);
		if (timing.inProgressMs !== undefined) this.timing.inProgressMs = Number(timing.inProgressMs);
	}

	/**
	 * The next `times` matching actions end with `outcome` instead of Succeeded.
	 * @param {{ outcome: string, type?: string, machineId?: string, times?: number }} rule
	 */
	setOutcome(rule) {
		if (!OUTCOMES.includes(rule.outcome)) throw new Error(`Invalid outcome '${rule.outcome}': one of ${OUTCOMES.join(', ')}.`);
		this.outcomeRules.push({ outcome: rule.outcome, type: rule.type, machineId: rule.machineId, times: rule.times === undefined ? 1 : Number(rule.times) });
	}

	/** @param {string} type @param {string} machineId */
	_takeOutcome(type, machineId) {
		const rule = this.outcomeRules.find((r) => r.times > 0 && (!r.type || r.type === type) && (!r.machineId || r.machineId === machineId));
		if (!rule) return 'Succeeded';
		rule.times--;
		return rule.outcome;
	}

	/** Brings a record's status up to the clock. @param {ActionRecord} r */
	_refresh(r) {
		const a = r.action;
		if (TERMINAL.includes(a.status)) return a;
		const t = this.now();
		const startAt = r.createdMs + r.pendingMs;
		const endAt = startAt + r.inProgressMs;
		if (t >= endAt) {
			a.status = r.outcome;
			if (r.outcome === 'Failed') a.errorHResult = -2147467259;
			a.lastUpdateDateTimeUtc = mdeDate(endAt);
			r.finalMs = endAt;
		} else if (t >= startAt && a.status === 'Pending') {
			a.status = 'InProgress';
			a.lastUpdateDateTimeUtc = mdeDate(startAt);
		}
		return a;
	}

	/** All actions, status brought up to now, newest first. */
	list() {
		return this.records.map((r) => this._refresh(r)).sort((a, b) => (a.creationDateTimeUtc < b.creationDateTimeUtc ? 1 : a.creationDateTimeUtc > b.creationDateTimeUtc ? -1 : 0));
	}

	/** @param {string} id */
	get(id) {
		const r = this.records.find((x) => x.action.id === id.toLowerCase());
		return r ? this._refresh(r) : undefined;
	}

	/** The Pending / InProgress action of that type on that machine, if any. @param {string} machineId @param {string} type */
	active(machineId, type) {
		return this.list().find((a) => a.machineId === machineId && a.type === type && !TERMINAL.includes(a.status));
	}

	/**
	 * @param {{ type: string, scope?: string | null, machine: { id: string, computerDnsName: string }, requestor: string, comment: string, relatedFileInfo?: MachineAction['relatedFileInfo'] }} o
	 */
	create(o) {
		const t = this.now();
		/** @type {MachineAction} */
		const action = {
			id: crypto.randomUUID(),
			type: o.type,
			title: null,
			scope: o.scope === undefined ? null : o.scope,
			requestor: o.requestor,
			requestorComment: o.comment,
			status: 'Pending',
			machineId: o.machine.id,
			computerDnsName: o.machine.computerDnsName,
			creationDateTimeUtc: mdeDate(t),
			lastUpdateDateTimeUtc: mdeDate(t),
			cancellationRequestor: null,
			cancellationComment: null,
			cancellationDateTimeUtc: null,
			errorHResult: 0,
			commands: [],
			externalId: null,
			requestSource: 'PublicApi',
			relatedFileInfo: o.relatedFileInfo || null,
		};
		this.records.push({ action, createdMs: t, ...this.timing, outcome: this._takeOutcome(o.type, o.machine.id) });
		return action;
	}

	/**
	 * Cancels a Pending / InProgress action; returns undefined when the action is already done.
	 * @param {string} id @param {string} requestor @param {string} comment
	 */
	cancel(id, requestor, comment) {
		const a = this.get(id);
		if (!a || TERMINAL.includes(a.status)) return undefined;
		const t = this.now();
		const r = /** @type {ActionRecord} */ (this.records.find((x) => x.action === a));
		a.status = 'Cancelled';
		a.cancellationRequestor = requestor;
		a.cancellationComment = comment;
		a.cancellationDateTimeUtc = mdeDate(t);
		a.lastUpdateDateTimeUtc = mdeDate(t);
		r.finalMs = t;
		return a;
	}
}

module.exports = { MachineActions, TERMINAL, mdeDate };
