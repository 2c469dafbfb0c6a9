/**
 * Structural, offline check of the add-in only (XML) manifest: the rules Office enforces when it
 * loads this add-in, without the online validation service of office-addin-manifest.
 * It knows the shape this add-in needs: a shared runtime (SharedRuntime 1.1, one long-lived
 * runtime page shared by the task pane, the ribbon and the custom functions), the CustomFunctions
 * extension point, a Home-tab button that shows the task pane, and icons at 16/32/80 px.
 */
'use strict';
const { parseXml, walk, localName, childNamed, childrenNamed, findAll } = require('./xml');

const NS = {
  officeApp: 'http://schemas.microsoft.com/office/appforoffice/1.1',
  basicTypes: 'http://schemas.microsoft.com/office/officeappbasictypes/1.0',
  versionOverrides: 'http://schemas.microsoft.com/office/taskpaneappversionoverrides',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
};
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VERSION = /^\d{1,5}(\.\d{1,5}){0,3}$/;
const MAX_RESID_LENGTH = 32;
const MAX_SHORT_STRING = 125;
const MAX_LONG_STRING = 250;
const REQUIRED_BUTTON_ICON_SIZES = ['16', '32', '80'];
/** Which resource table a resid on a given element must point into. */
const RESOURCE_KIND_BY_ELEMENT = {
  Image: 'Images',
  SourceLocation: 'Urls',
  LearnMoreUrl: 'Urls',
  FunctionFile: 'Urls',
  Runtime: 'Urls',
  Namespace: 'ShortStrings',
  Label: 'ShortStrings',
  Title: 'ShortStrings',
  Description: 'LongStrings',
};

function attr(element, name) {
  return element ? element.attributes[name] : undefined;
}

function xsiType(element) {
  return attr(element, 'xsi:type');
}

/** Resource tables: kind -> Map(id -> { value, overrides: [{locale, value}] }). */
function readResources(resources, errors) {
  const tables = { Images: new Map(), Urls: new Map(), ShortStrings: new Map(), LongStrings: new Map() };
  if (!resources) return tables;
  for (const table of resources.children) {
    const kind = localName(table.name);
    if (!(kind in tables)) {
      errors.push(`Resources: unknown table <${table.name}>`);
      continue;
    }
    for (const entry of table.children) {
      const id = attr(entry, 'id');
      if (!id) {
        errors.push(`Resources/${kind}: <${entry.name}> on line ${entry.line} has no id`);
        continue;
      }
      const seen = Object.values(tables).some((t) => t.has(id));
      if (seen) errors.push(`Resources: id "${id}" is defined more than once`);
      if (id.length > MAX_RESID_LENGTH) errors.push(`Resources: id "${id}" is longer than ${MAX_RESID_LENGTH} characters`);
      const overrides = childrenNamed(entry, 'Override').map((o) => ({ locale: attr(o, 'Locale'), value: attr(o, 'Value') }));
      tables[kind].set(id, { value: attr(entry, 'DefaultValue'), overrides });
    }
  }
  return tables;
}

function checkStringLengths(tables, errors) {
  for (const [kind, limit] of [
    ['ShortStrings', MAX_SHORT_STRING],
    ['LongStrings', MAX_LONG_STRING],
  ]) {
    for (const [id, { value, overrides }] of tables[kind]) {
      for (const text of [value, ...overrides.map((o) => o.value)]) {
        if (text === undefined || text === '') errors.push(`${kind}: "${id}" has an empty value`);
        else if ([...text].length > limit) errors.push(`${kind}: "${id}" is longer than ${limit} characters`);
      }
    }
  }
}

/** Every URL anywhere in the manifest: attribute values that look like URLs, and URL element text. */
function collectUrls(root) {
  const urls = [];
  walk(root, (element) => {
    for (const [name, value] of Object.entries(element.attributes)) {
      if (name.startsWith('xmlns')) continue;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) urls.push({ where: `<${element.name} ${name}> (line ${element.line})`, url: value });
    }
    if (['AppDomain', 'SourceLocation'].includes(localName(element.name)) && element.text.trim()) {
      urls.push({ where: `<${element.name}> (line ${element.line})`, url: element.text.trim() });
    }
  });
  return urls;
}

/**
 * Checks a manifest's text. Returns { errors, warnings, facts } where facts lists what was found
 * (id, namespace, runtime page, ...) for reports and tests.
 */
function checkManifest(xmlText) {
  const errors = [];
  const warnings = [];
  const facts = {};
  let root;
  try {
    root = parseXml(xmlText);
  } catch (error) {
    return { errors: [`not well-formed XML: ${error.message}`], warnings, facts };
  }

  if (root.name !== 'OfficeApp') errors.push(`the root element is <${root.name}>, expected <OfficeApp>`);
  if (attr(root, 'xmlns') !== NS.officeApp) errors.push(`OfficeApp xmlns must be ${NS.officeApp}`);
  if (attr(root, 'xmlns:xsi') !== NS.xsi) errors.push(`OfficeApp xmlns:xsi must be ${NS.xsi}`);
  if (attr(root, 'xmlns:bt') !== NS.basicTypes) errors.push(`OfficeApp xmlns:bt must be ${NS.basicTypes}`);
  if (xsiType(root) !== 'TaskPaneApp') errors.push('OfficeApp xsi:type must be TaskPaneApp');

  const text = (name) => (childNamed(root, name) ? childNamed(root, name).text.trim() : undefined);
  facts.id = text('Id');
  facts.version = text('Version');
  facts.providerName = text('ProviderName');
  facts.defaultLocale = text('DefaultLocale');
  facts.displayName = attr(childNamed(root, 'DisplayName'), 'DefaultValue');
  facts.permissions = text('Permissions');
  if (!facts.id || !GUID.test(facts.id)) errors.push(`<Id> must be a GUID, found "${facts.id ?? ''}"`);
  if (!facts.version || !VERSION.test(facts.version)) errors.push(`<Version> must look like 1.0.0.0, found "${facts.version ?? ''}"`);
  if (!facts.providerName) errors.push('<ProviderName> is missing');
  if (!facts.defaultLocale) errors.push('<DefaultLocale> is missing');
  if (!facts.displayName) errors.push('<DisplayName DefaultValue> is missing');
  if (!attr(childNamed(root, 'Description'), 'DefaultValue')) errors.push('<Description DefaultValue> is missing');
  if (!attr(childNamed(root, 'SupportUrl'), 'DefaultValue')) errors.push('<SupportUrl DefaultValue> is missing');
  if (!attr(childNamed(root, 'IconUrl'), 'DefaultValue')) errors.push('<IconUrl DefaultValue> is missing');
  if (!attr(childNamed(root, 'HighResolutionIconUrl'), 'DefaultValue')) errors.push('<HighResolutionIconUrl DefaultValue> is missing');
  if (facts.permissions !== 'ReadWriteDocument') errors.push(`<Permissions> should be ReadWriteDocument (the least this add-in needs), found "${facts.permissions ?? ''}"`);
  const hosts = childNamed(root, 'Hosts');
  if (!hosts || !childrenNamed(hosts, 'Host').some((h) => attr(h, 'Name') === 'Workbook')) errors.push('<Hosts> must contain <Host Name="Workbook"/>');
  if (!attr(childNamed(childNamed(root, 'DefaultSettings') ?? { children: [] }, 'SourceLocation'), 'DefaultValue')) {
    errors.push('<DefaultSettings><SourceLocation DefaultValue> is missing');
  }

  const sets = findAll(childNamed(root, 'Requirements') ?? { children: [] }, 'Set');
  const shared = sets.find((s) => attr(s, 'Name') === 'SharedRuntime');
  facts.sharedRuntimeRequirement = shared ? attr(shared, 'MinVersion') : undefined;
  if (!shared || attr(shared, 'MinVersion') !== '1.1') errors.push('<Requirements> must contain <Set Name="SharedRuntime" MinVersion="1.1"/>');

  const overrides = childNamed(root, 'VersionOverrides');
  if (!overrides) {
    errors.push('<VersionOverrides> is missing');
    return { errors, warnings, facts };
  }
  if (attr(overrides, 'xmlns') !== NS.versionOverrides) errors.push(`VersionOverrides xmlns must be ${NS.versionOverrides}`);
  if (xsiType(overrides) !== 'VersionOverridesV1_0') errors.push('VersionOverrides xsi:type must be VersionOverridesV1_0');

  const tables = readResources(childNamed(overrides, 'Resources'), errors);
  checkStringLengths(tables, errors);
  facts.resourceIds = Object.fromEntries(Object.entries(tables).map(([k, t]) => [k, [...t.keys()]]));

  // Every resid resolves, into the right table.
  const usedIds = new Set();
  walk(overrides, (element) => {
    const resid = attr(element, 'resid');
    if (resid === undefined) return;
    usedIds.add(resid);
    const local = localName(element.name);
    if (resid.length > MAX_RESID_LENGTH) errors.push(`resid "${resid}" on <${element.name}> (line ${element.line}) is longer than ${MAX_RESID_LENGTH} characters`);
    const kind = RESOURCE_KIND_BY_ELEMENT[local];
    const table = kind ? tables[kind] : undefined;
    if (table && !table.has(resid)) {
      const elsewhere = Object.entries(tables).find(([, t]) => t.has(resid));
      errors.push(
        elsewhere
          ? `resid "${resid}" on <${element.name}> (line ${element.line}) points into ${elsewhere[0]}, expected ${kind}`
          : `resid "${resid}" on <${element.name}> (line ${element.line}) does not resolve to any resource`,
      );
    } else if (!table && !Object.values(tables).some((t) => t.has(resid))) {
      errors.push(`resid "${resid}" on <${element.name}> (line ${element.line}) does not resolve to any resource`);
    }
  });
  for (const [kind, table] of Object.entries(tables)) {
    for (const id of table.keys()) if (!usedIds.has(id)) warnings.push(`${kind}: "${id}" is defined but never used`);
  }

  const workbookHost = childrenNamed(childNamed(overrides, 'Hosts') ?? { children: [] }, 'Host').find((h) => xsiType(h) === 'Workbook');
  if (!workbookHost) {
    errors.push('VersionOverrides/Hosts must contain <Host xsi:type="Workbook">');
    return { errors, warnings, facts };
  }

  // Shared runtime: one long-lived runtime page, also used by the functions' Page, the FunctionFile and the task pane.
  const runtimes = findAll(workbookHost, 'Runtime');
  const runtime = runtimes[0];
  facts.runtimeResid = attr(runtime, 'resid');
  facts.runtimeUrl = facts.runtimeResid ? tables.Urls.get(facts.runtimeResid)?.value : undefined;
  if (runtimes.length !== 1) errors.push(`expected exactly one <Runtime>, found ${runtimes.length}`);
  else if (attr(runtime, 'lifetime') !== 'long') errors.push('<Runtime lifetime> must be "long" so custom functions keep running with the task pane closed');
  if (workbookHost.children[0] && localName(workbookHost.children[0].name) !== 'Runtimes') {
    errors.push('<Runtimes> must be the first child of <Host xsi:type="Workbook">');
  }

  const functionsPoint = findAll(workbookHost, 'ExtensionPoint').find((e) => xsiType(e) === 'CustomFunctions');
  if (!functionsPoint) {
    errors.push('<ExtensionPoint xsi:type="CustomFunctions"> is missing');
  } else {
    const location = (name) => attr(childNamed(childNamed(functionsPoint, name) ?? { children: [] }, 'SourceLocation'), 'resid');
    facts.functionsScriptResid = location('Script');
    facts.functionsPageResid = location('Page');
    facts.functionsMetadataResid = location('Metadata');
    const namespaceResid = attr(childNamed(functionsPoint, 'Namespace'), 'resid');
    facts.namespace = namespaceResid ? tables.ShortStrings.get(namespaceResid)?.value : undefined;
    facts.functionsMetadataUrl = facts.functionsMetadataResid ? tables.Urls.get(facts.functionsMetadataResid)?.value : undefined;
    facts.functionsMetadataOverrides = facts.functionsMetadataResid ? tables.Urls.get(facts.functionsMetadataResid)?.overrides ?? [] : [];
    for (const part of ['Script', 'Page', 'Metadata']) {
      if (!location(part)) errors.push(`CustomFunctions <${part}><SourceLocation resid> is missing`);
    }
    if (!namespaceResid) errors.push('CustomFunctions <Namespace resid> is missing');
    if (facts.functionsPageResid && facts.functionsPageResid !== facts.runtimeResid) {
      errors.push(`CustomFunctions <Page> uses "${facts.functionsPageResid}" but the shared runtime is "${facts.runtimeResid}"; they must be the same resid`);
    }
    if (facts.namespace !== undefined && !/^[A-Za-z][A-Za-z0-9_.]{0,31}$/.test(facts.namespace)) {
      errors.push(`custom functions namespace "${facts.namespace}" must start with a letter and use only letters, digits, _ and .`);
    }
  }

  const functionFile = findAll(workbookHost, 'FunctionFile')[0];
  if (functionFile && attr(functionFile, 'resid') !== facts.runtimeResid) {
    errors.push(`<FunctionFile> uses "${attr(functionFile, 'resid')}" but the shared runtime is "${facts.runtimeResid}"`);
  }

  // Ribbon: a Home-tab group with a button that shows the task pane in the shared runtime.
  const tabs = findAll(workbookHost, 'OfficeTab');
  const homeTab = tabs.find((t) => attr(t, 'id') === 'TabHome');
  if (!homeTab) errors.push('<OfficeTab id="TabHome"> (a Home-tab group) is missing');
  const buttons = findAll(workbookHost, 'Control').filter((c) => xsiType(c) === 'Button');
  const taskpaneButtons = buttons.filter((b) => xsiType(childNamed(b, 'Action')) === 'ShowTaskpane');
  facts.taskpaneButtons = taskpaneButtons.map((b) => attr(b, 'id'));
  if (!taskpaneButtons.length) errors.push('no <Control xsi:type="Button"> with <Action xsi:type="ShowTaskpane">');
  for (const button of taskpaneButtons) {
    const action = childNamed(button, 'Action');
    const resid = attr(childNamed(action, 'SourceLocation'), 'resid');
    if (resid !== facts.runtimeResid) errors.push(`the task pane button "${attr(button, 'id')}" opens "${resid}" but the shared runtime is "${facts.runtimeResid}"`);
    if (!childNamed(action, 'TaskpaneId')) warnings.push(`the task pane button "${attr(button, 'id')}" has no <TaskpaneId>; a shared runtime supports one task pane`);
  }
  for (const holder of [...findAll(workbookHost, 'Group'), ...buttons]) {
    const sizes = findAll(childNamed(holder, 'Icon') ?? { children: [] }, 'Image').map((i) => attr(i, 'size'));
    const missing = REQUIRED_BUTTON_ICON_SIZES.filter((s) => !sizes.includes(s));
    if (missing.length) errors.push(`<${holder.name} id="${attr(holder, 'id')}"> lacks icons of size ${missing.join(', ')}`);
  }
  const controlIds = [...findAll(workbookHost, 'Group'), ...findAll(workbookHost, 'Control')].map((e) => attr(e, 'id'));
  const duplicate = controlIds.find((id, index) => controlIds.indexOf(id) !== index);
  if (duplicate) errors.push(`ribbon id "${duplicate}" is used more than once`);

  facts.urls = collectUrls(root);
  for (const { where, url } of facts.urls) {
    if (!url.startsWith('https://')) errors.push(`${where}: ${url} is not https (Office loads add-in resources over https only)`);
  }
  return { errors, warnings, facts };
}

module.exports = { checkManifest, NS };
