/**
 * The Apps Script services the Sheets host calls: the script's globals in Apps Script, a fake in
 * tests (setAppsScriptServices). Kept apart from server.ts so that server.ts exports exactly the
 * server functions.
 */
import type { AppsScriptServices } from './planner-host';

export interface ServerServices extends AppsScriptServices {
  HtmlService: GoogleAppsScript.HTML.HtmlService;
}

let injected: ServerServices | undefined;

/** Tests: use these services instead of the Apps Script globals (undefined: the globals again). */
export function setAppsScriptServices(services: ServerServices | undefined): void {
  injected = services;
}

export function appsScriptServices(): ServerServices {
  return injected ?? { SpreadsheetApp, PropertiesService, Session, Utilities, HtmlService };
}
