import {
	ICredentials,
	type ICredentialDataDecryptedObject,
	type ICredentialsEncrypted,
	type ICredentialType,
	type ICredentialTypes,
	type INodeCredentialsDetails,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { CredentialsHelper } from './credentialsHelper';
import { ensureExpressionEngine } from './runtime';

/** One persisted change, as n8n's `credentialsRepository.update` would have written it. Never holds values. */
export interface CredentialUpdate {
	type: string;
	id: string;
	/** keys whose stored value changed (added, changed or removed) */
	keys: string[];
}

export interface CredentialRef {
	id: string;
	name: string;
}

interface StoredCredential {
	id: string;
	name: string;
	type: string;
	/** JSON text: n8n keeps the data encrypted as one JSON string, so values round-trip through JSON */
	data: string;
}

/** n8n-core's `Credentials` without the encryption (which would need an instance key on disk). */
class StoredCredentials extends ICredentials {
	async getData(): Promise<ICredentialDataDecryptedObject> {
		return this.data === undefined ? {} : (JSON.parse(this.data) as ICredentialDataDecryptedObject);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: this.data };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.data = JSON.stringify(data);
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const data = { ...(await this.getData()), ...toUpdate } as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete data[key];
		await this.setData(data);
	}
}

/**
 * In-memory stand-in for n8n's credentials table plus its `CredentialTypes` registry.
 * `get(id)` is what the database holds (decrypted); what a node is handed is
 * `CredentialsHelper.getDecrypted` (defaults applied, undeclared keys dropped).
 */
export class CredentialStore implements ICredentialTypes {
	readonly updates: CredentialUpdate[] = [];
	/** How often n8n loaded a credential from "the database" (each load is a read plus decryption in n8n). */
	loads = 0;

	private readonly types = new Map<string, ICredentialType>();

	private readonly rows = new Map<string, StoredCredential>();

	private nextId = 1;

	constructor(credentialTypes: ICredentialType[]) {
		for (const type of credentialTypes) this.types.set(type.name, type);
	}

	/** Saves a credential the way n8n's "Create credential" does: exactly the data given. */
	add(type: string, data: ICredentialDataDecryptedObject, name?: string): CredentialRef {
		this.getByName(type);
		const id = String(this.nextId++);
		const row = { id, name: name ?? `${type} ${id}`, type, data: JSON.stringify(data) };
		this.rows.set(id, row);
		return { id, name: row.name };
	}

	/** What the database holds for this credential now (decrypted, every stored key, no defaults). */
	get(id: string): ICredentialDataDecryptedObject {
		return JSON.parse(this.row(id).data) as ICredentialDataDecryptedObject;
	}

	/**
	 * What n8n hands a node for this credential: the type's defaults applied, expressions
	 * resolved, keys the type does not declare dropped (CredentialsHelper.getDecrypted).
	 */
	async read(id: string): Promise<ICredentialDataDecryptedObject> {
		const row = this.row(id);
		await ensureExpressionEngine();
		const additionalData = { variables: {} } as unknown as IWorkflowExecuteAdditionalData;
		return await new CredentialsHelper(this).getDecrypted(
			additionalData,
			{ id: row.id, name: row.name },
			row.type,
			'internal',
		);
	}

	/** Replaces the stored data, as a user editing the credential would (not logged in `updates`). */
	set(id: string, data: ICredentialDataDecryptedObject): void {
		this.row(id).data = JSON.stringify(data);
	}

	/** n8n's `credentialsRepository.findOneByOrFail({ id, type })` wrapped in `Credentials` */
	load(nodeCredentials: INodeCredentialsDetails, type: string): ICredentials {
		if (!nodeCredentials.id) {
			throw new Error(`Credential "${nodeCredentials.name}" of type "${type}" has no id`);
		}
		const row = this.rows.get(nodeCredentials.id);
		if (row === undefined || row.type !== type) {
			throw new Error(`Credential with ID "${nodeCredentials.id}" of type "${type}" does not exist`);
		}
		this.loads++;
		return new StoredCredentials({ id: row.id, name: row.name }, row.type, row.data);
	}

	/** n8n's `credentialsRepository.update(...)`: overwrites the stored data and logs which keys changed. */
	save(credentials: ICredentials): void {
		const row = this.row(credentials.id ?? '');
		const before = JSON.parse(row.data) as ICredentialDataDecryptedObject;
		const after = JSON.parse(credentials.data ?? '{}') as ICredentialDataDecryptedObject;
		const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
			(key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
		);
		row.data = JSON.stringify(after);
		this.updates.push({ type: row.type, id: row.id, keys });
	}

	// ICredentialTypes (n8n cli's CredentialTypes)

	recognizes(credentialType: string): boolean {
		return this.types.has(credentialType);
	}

	getByName(credentialType: string): ICredentialType {
		const type = this.types.get(credentialType);
		if (type === undefined) {
			throw new Error(`Unrecognized credential type: ${credentialType}`);
		}
		return type;
	}

	getSupportedNodes(type: string): string[] {
		return this.getByName(type).supportedNodes ?? [];
	}

	getParentTypes(typeName: string): string[] {
		const extendsArr = this.getByName(typeName).extends ?? [];
		return extendsArr.flatMap((parent) =>
			this.recognizes(parent) ? [parent, ...this.getParentTypes(parent)] : [parent],
		);
	}

	private row(id: string): StoredCredential {
		const row = this.rows.get(id);
		if (row === undefined) throw new Error(`No credential with id "${id}" in the store`);
		return row;
	}
}
