// npm start with your own tenant (README "With your own tenant"): M365D_CLOUD takes every named cloud the
// credential's Cloud field offers (custom needs URLs the demo does not ask for), and names them when wrong.
import type { INodePropertyOptions } from 'n8n-workflow';

import { cloudProperty } from '../../../nodes/Microsoft365Defender/auth/credentialProperties';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { realTenantCredential } = require('../../../demo/workflows.js') as {
	realTenantCredential(env: Record<string, string>): { credential?: { data: Record<string, string> }; error?: string } | undefined;
};

const tenant = { M365D_TENANT_ID: 'contoso.onmicrosoft.com', M365D_CLIENT_ID: '00000000-0000-0000-0000-000000000001', M365D_CLIENT_SECRET: 's' };
const namedClouds = (cloudProperty.options as INodePropertyOptions[]).map((o) => String(o.value)).filter((value) => value !== 'custom');

test.each(namedClouds)('M365D_CLOUD=%s is the credential\'s cloud', (cloud) => {
	expect(realTenantCredential({ ...tenant, M365D_CLOUD: cloud })?.credential?.data.cloud).toBe(cloud);
});

test('an unknown M365D_CLOUD is refused, naming the allowed ones', () => {
	const error = realTenantCredential({ ...tenant, M365D_CLOUD: 'gcc' })?.error ?? '';
	const [, named] = /^M365D_CLOUD must be one of (.+), not "gcc"$/.exec(error) ?? [];
	expect(named?.split(', ').sort()).toEqual([...namedClouds].sort());
});

test('no M365D_* at all: the simulated tenant (undefined); some: the missing ones named', () => {
	expect(realTenantCredential({})).toBeUndefined();
	expect(realTenantCredential({ M365D_TENANT_ID: 'x' })?.error).toMatch(/missing: M365D_CLIENT_ID, M365D_CLIENT_SECRET$/);
});
