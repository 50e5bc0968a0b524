/** A valid custom application as GraphQL `ApplicationInput`, for tests that create one. */
export const APPLICATION_INPUT = {
  name: 'Telecom tower',
  kind: 'CUSTOM',
  duty: { cyclesPerDay: 0.5, depthOfDischarge: 0.5, cRate: 0.3, socMinPercent: 20, socMaxPercent: 95, ambientTemperatureC: 30, seasonalSwingC: 10 },
  requirements: { minSohPercent: 60, maxResistanceMilliohm: 70, maxCellTemperatureC: 50, minServiceYears: 3, endOfLifeSohPercent: 50 },
  capacityLimitKwh: 12.5,
  economics: { repurposingCostUsdPerModule: 60, integrationCostUsdPerKwh: 150, valueUsdPerMwh: 200 },
  envelopes: [{ name: 'standard', socMinPercent: 20, socMaxPercent: 95, dodFactor: 1, activeCooling: false }],
};
