/** BatteryModule: one retired module of a fleet. */
import { getModulesByIds, usableEnergyKwh, type StoredModule } from '../db/modules.js';
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
