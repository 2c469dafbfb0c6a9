/** The Excel PlannerHost over an instrumented fake, with settings kept in memory per fake (no Office global in tests). */
import { excelPlannerHost, ExcelPlannerOptions, SettingsStore } from '../../src/hosts/excel/planner-host';
import type { ExcelHost } from '../../src/hosts/excel/write-spec';
import type { PlannerHost } from '../../src/runs/host';

const stores = new WeakMap<object, { json?: string }>();

/** A settings store in memory. */
export function memorySettings(box: { json?: string } = {}): SettingsStore {
  return { get: async () => box.json, set: async (json) => void (box.json = json) };
}

/** The fake's PlannerHost; settings saved through it persist for that fake. */
export function plannerOf(fake: { host: ExcelHost }, options: ExcelPlannerOptions = {}): PlannerHost {
  let box = stores.get(fake);
  if (!box) stores.set(fake, (box = {}));
  return excelPlannerHost(fake.host, { settings: memorySettings(box), ...options });
}
