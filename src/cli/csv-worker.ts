/** A worker thread of the streaming CSV reader (./csv-stream): parses the chunks it is sent, in order. */
import { parentPort } from 'node:worker_threads';
import { ChunkRequest, parseChunk, transferables } from './csv-chunk';

export interface WorkerRequest extends Omit<ChunkRequest, 'bytes'> {
  id: number;
  buffer: ArrayBuffer;
  byteOffset: number;
  byteLength: number;
}

parentPort?.on('message', (request: WorkerRequest) => {
  try {
    const result = parseChunk({ ...request, bytes: Buffer.from(request.buffer, request.byteOffset, request.byteLength) });
    parentPort?.postMessage({ id: request.id, result }, transferables(result));
  } catch (error) {
    parentPort?.postMessage({ id: request.id, failure: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
