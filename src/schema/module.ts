/** BatteryModule: one retired module of a fleet. */
import type { FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { getModulesByIds, usableEnergyKwh, type ModuleField, type StoredModule } from '../db/modules.js';
import { CHEMISTRIES } from '../twin/types.js';
import { builder } from './builder.js';
import { inIdOrder } from './node-ids.js';

export const ChemistryEnum = builder.enumType('Chemistry', {
  description: 'Cell chemistry of a module',
  values: CHEMISTRIES,
});

export const BatteryModuleRef = builder.loadableNode('BatteryModule', {
  description: 'A retired EV battery module as received (one CSV row)',
  id: { resolve: (m: StoredModule) => m.id },
  load: async (ids: string[], ctx) => inIdOrder(ids, await getModulesByIds(ctx.db, ids), 'BatteryModule'),
  fields: (t) => ({
    serial: t.exposeString('serial'),
    chemistry: t.field({ type: ChemistryEnum, resolve: (m) => m.chemistry }),
    nominalCapacityAh: t.exposeFloat('nominalCapacityAh'),
    nominalVoltageV: t.exposeFloat('nominalVoltageV'),
    sohPercent: t.exposeFloat('sohPercent', { description: 'State of health: present full capacity / nameplate, percent' }),
    internalResistanceMilliohm: t.exposeFloat('internalResistanceMilliohm'),
    temperatureMinC: t.exposeFloat('temperatureMinC'),
    temperatureMaxC: t.exposeFloat('temperatureMaxC'),
    cycleCount: t.exposeInt('cycleCount', { description: 'Equivalent full cycles in first life' }),
    manufacturer: t.string({ nullable: true, resolve: (m) => m.manufacturer ?? null }),
    ageYears: t.float({ nullable: true, resolve: (m) => m.ageYears ?? null }),
    fullChargeEnergyKwh: t.float({
      description: 'Energy of a full 0–100 % charge today, kWh: nameplate Ah × nominal V × SOH / 1000 (not the SOC-window energy of a twin summary)',
      resolve: (m) => usableEnergyKwh(m),
    }),
    calibration: t.field({
      type: 'JSON',
      nullable: true,
      description: "The twin's fitted per-module parameters, when calibrated",
      resolve: (m) => m.calibration,
    }),
  }),
});

/**
 * The stored fields each field of BatteryModule reads (the serial is always read, and the fleet's
 * id is known).
 * A field missing here (the twin's health, fields added by other files) needs the whole row.
 */
const FIELD_NEEDS: Readonly<Record<string, readonly ModuleField[]>> = {
  __typename: [],
  id: ['id'],
  serial: [],
  fleet: [],
  chemistry: ['chemistry'],
  nominalCapacityAh: ['nominalCapacityAh'],
  nominalVoltageV: ['nominalVoltageV'],
  sohPercent: ['sohPercent'],
  internalResistanceMilliohm: ['internalResistanceMilliohm'],
  temperatureMinC: ['temperatureMinC'],
  temperatureMaxC: ['temperatureMaxC'],
  cycleCount: ['cycleCount'],
  manufacturer: ['manufacturer'],
  ageYears: ['ageYears'],
  fullChargeEnergyKwh: ['nominalCapacityAh', 'nominalVoltageV', 'sohPercent'],
  calibration: ['calibration'],
};

/**
 * The stored fields a connection of modules needs for what the query selects under
 * `edges { node { … } }` (through fragments), or undefined when some selected field needs the
 * whole row. Directives (@skip/@include) are not evaluated: a skipped field is still read.
 */
export function moduleFieldsSelected(info: GraphQLResolveInfo): ModuleField[] | undefined {
  const out = new Set<ModuleField>();
  const visited = new Set<string>();
  // Calls `onField` for every field of a selection set, through fragments; false stops the walk.
  const eachField = (set: SelectionSetNode | undefined, onField: (name: string, sub: SelectionSetNode | undefined) => boolean): boolean => {
    if (!set) return true;
    for (const s of set.selections) {
      if (s.kind === 'Field') {
        if (!onField(s.name.value, s.selectionSet)) return false;
      } else if (s.kind === 'InlineFragment') {
        if (!eachField(s.selectionSet, onField)) return false;
      } else {
        const f: FragmentDefinitionNode | undefined = info.fragments[s.name.value];
        if (f && !visited.has(s.name.value)) {
          visited.add(s.name.value);
          const ok = eachField(f.selectionSet, onField);
          visited.delete(s.name.value);
          if (!ok) return false;
        }
      }
    }
    return true;
  };
  const onNodeField = (name: string) => {
    const needs = FIELD_NEEDS[name];
    if (!needs) return false;
    for (const f of needs) out.add(f);
    return true;
  };
  const onEdgeField = (name: string, sub: SelectionSetNode | undefined) => (name === 'node' ? eachField(sub, onNodeField) : true);
  const onConnectionField = (name: string, sub: SelectionSetNode | undefined) => (name === 'edges' ? eachField(sub, onEdgeField) : true);
  for (const node of info.fieldNodes) if (!eachField(node.selectionSet, onConnectionField)) return undefined;
  return [...out];
}
