/**
 * A fleet as CSV in the import format (header + one row per module), through the one CSV writer.
 * Numbers are written in full (shortest text that parses back to the same double), so that an
 * export imports back into an equal fleet.
 */
import { ALL_COLUMNS } from '../planning/modules-csv.js';
import type { ModuleState } from '../twin/types.js';
import { formatCsv } from './csv.js';

export function formatModulesCsv(modules: readonly ModuleState[]): string {
  return formatCsv(
    ALL_COLUMNS,
    modules.map((m) => [
      m.serial,
      m.chemistry,
      m.nominalCapacityAh,
      m.nominalVoltageV,
      m.sohPercent,
      m.internalResistanceMilliohm,
      m.temperatureMinC,
      m.temperatureMaxC,
      m.cycleCount,
      m.manufacturer ?? null,
      m.ageYears ?? null,
    ]),
  );
}
