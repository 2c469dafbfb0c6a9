/**
 * The build appends `CustomFunctions.associate(id, fn)` calls to functions.ts (that is how
 * custom-functions-metadata-plugin registers functions). Office.js defines `CustomFunctions` in
 * Excel's shared runtime; when the same page is opened outside Excel (a browser preview, the task
 * pane's end-to-end tests) it does not exist, and those calls would throw. This module, imported
 * first, gives that case a registry that does nothing, and leaves Excel's own untouched.
 */
interface CustomFunctionsRegistry {
  associate(id: string, fn: unknown): void;
}

const holder = globalThis as unknown as { CustomFunctions?: CustomFunctionsRegistry };
if (typeof holder.CustomFunctions === 'undefined') {
  holder.CustomFunctions = { associate: () => undefined };
}

export {};
