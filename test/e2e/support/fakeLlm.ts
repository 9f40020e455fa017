// A stand-in for an OpenAI-compatible chat model (POST /v1/chat/completions), for the AI agent template:
// the only part of n8n's tool-calling path that is stubbed. First answer: call the first tool offered (each
// declared parameter given as ""); once a tool result is in the conversation: a final answer that quotes it.
// Streams (SSE) when asked to. Records every request body.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface FakeLlm {
	url: string;
	requests: Json[];
	stop(): Promise<void>;
}

export const FINAL_ANSWER_PREFIX = 'Triage (from the tool result): ';

export async function startFakeLlm(): Promise<FakeLlm> {
	const requests: Json[] = [];
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (chunk) => (text += chunk));
		req.on('end', () => {
			if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url ?? '')) {
				res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not here"}}');
				return;
			}
			const body = JSON.parse(text || '{}');
			requests.push(body);
			const toolResult = (body.messages ?? []).find((m: Json) => m.role === 'tool');
			const tool = body.tools?.[0]?.function;
			let message: Json;
			if (!toolResult && tool) {
				const args = Object.fromEntries(Object.keys(tool.parameters?.properties ?? {}).map((name) => [name, '']));
				message = { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: tool.name, arguments: JSON.stringify(args) } }] };
			} else {
				const content = typeof toolResult?.content === 'string' ? toolResult.content : JSON.stringify(toolResult?.content ?? 'no tool result');
				message = { role: 'assistant', content: FINAL_ANSWER_PREFIX + content };
			}
			const finish = message.tool_calls ? 'tool_calls' : 'stop';
			const base = { id: `chatcmpl-${requests.length}`, created: Math.floor(Date.now() / 1000), model: body.model ?? 'fake' };
			if (body.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				const delta = message.tool_calls
					? { role: 'assistant', tool_calls: message.tool_calls.map((call: Json, index: number) => ({ index, ...call })) }
					: { role: 'assistant', content: message.content };
				res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
				res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })}\n\n`);
				res.end('data: [DONE]\n\n');
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json' }).end(
				JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		stop: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
