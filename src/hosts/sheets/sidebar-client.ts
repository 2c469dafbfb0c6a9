/**
 * The sidebar's way to the runs: one promise-based RunClient over google.script.run. Each call goes
 * to the server function of the same name in server.ts, with the same plain-JSON request the Excel
 * task pane passes to its local runs; a server error rejects the promise with its message.
 * Progress does not cross google.script.run: the pane shows its spinner without counts.
 */
import type { RunClient } from '../../runs/client';
import type * as Server from './server';

type ServerFunctions = typeof Server;
type ServerName = keyof ServerFunctions;

/** The part of google.script.run the client uses (Apps Script's client-side API). */
export interface ScriptRun {
  withSuccessHandler(handler: (value: unknown) => void): ScriptRun;
  withFailureHandler(handler: (error: unknown) => void): ScriptRun;
}

/** Calls server function `name` with `args` and settles with its result. */
export function callServer<K extends ServerName>(run: ScriptRun, name: K, ...args: Parameters<ServerFunctions[K]>): Promise<ReturnType<ServerFunctions[K]>> {
  return new Promise((resolve, reject) => {
    const runner = run.withSuccessHandler((value) => resolve(value as ReturnType<ServerFunctions[K]>)).withFailureHandler((error) => reject(error instanceof Error ? error : new Error(String((error as { message?: unknown })?.message ?? error))));
    const target = (runner as unknown as Record<string, ((...a: unknown[]) => void) | undefined>)[name];
    if (typeof target !== 'function') return reject(new Error(`google.script.run has no server function ${name}`));
    target.apply(runner, args);
  });
}

export function sidebarClient(run: ScriptRun): RunClient {
  return {
    listSources: () => callServer(run, 'listSources'),
    generatePlan: (request) => callServer(run, 'generatePlan', request),
    trackVariance: (request) => callServer(run, 'trackVariance', request),
    approvePlan: (request) => callServer(run, 'approvePlan', request),
    loadSettings: () => callServer(run, 'loadSettings'),
    resetSettings: () => callServer(run, 'resetSettings'),
    canCancel: false,
    previewSource: (request) => callServer(run, 'previewSource', request),
  };
}
