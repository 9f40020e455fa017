// How the transport finds the token module's error behind n8n's wrapper. n8n 2.x's NodeApiError keeps
// it as `cause`; n8n-workflow 1.x's drops an Error cause (its class field resets it), keeping only the
// message, which is all the token module's remembered errors are found by.
import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { SignInRequiredError, rememberThrownInsideN8n } from '../../../nodes/Microsoft365Defender/auth';
import { errorChain } from '../../../nodes/Microsoft365Defender/transport';

const node: INode = { id: '1', name: 'Defender', type: 'n8n-nodes-microsoft-365-defender.microsoft365Defender', typeVersion: 1, position: [0, 0], parameters: {} };
const pending = { verificationUri: 'https://login.example/devicelogin', userCode: 'ABCD-EFGH', expiresAt: '2026-12-01T10:42:00Z' };

/** What n8n-workflow 1.x's NodeApiError(node, error) leaves: the message, no cause. */
function wrapLikeN8n1(error: Error): Error {
	const wrapper = new Error(error.message);
	wrapper.name = 'NodeApiError';
	return wrapper;
}

describe('errorChain', () => {
	test('n8n 2.x: the token module error is the wrapper\'s cause', () => {
		const origin = new SignInRequiredError(pending);
		const chain = errorChain(new NodeApiError(node, origin as unknown as JsonObject));
		expect(chain.map((e) => e.name)).toContain('SignInRequiredError');
	});

	test('n8n 1.x: a wrapper without a cause leads to the remembered error with its message', () => {
		const origin = rememberThrownInsideN8n(new SignInRequiredError(pending, 'The sign-in expired.')) as Error;
		const chain = errorChain(wrapLikeN8n1(origin));
		expect(chain).toHaveLength(2);
		expect(chain[1]).toBe(origin);
	});

	test('an error that the token module did not throw stays alone', () => {
		expect(errorChain(wrapLikeN8n1(new Error('socket hang up')))).toHaveLength(1);
		// and a remembered error is not its own origin
		const origin = rememberThrownInsideN8n(new SignInRequiredError(pending, 'Once more.')) as Error;
		expect(errorChain(origin)).toEqual([origin]);
	});
});
