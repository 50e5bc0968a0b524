/**
 * A plan as an XLSX workbook (exceljs, MIT): a `Summary` sheet (the plan, its objectives with the
 * better direction, totals per application, RECYCLE and ALL) and a `Modules` sheet with the
 * columns of the CSV, typed as numbers with a format of the column's decimals, header frozen and
 * filterable. Written with exceljs's streaming writer, so a 100 k-module plan stays in bounds.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { PLAN_COLUMNS, planTotals, TOTAL_COLUMNS, type PlanSheet } from './plan-table.js';

function numFmt(decimals: number | null): string | undefined {
  if (decimals === null) return undefined;
  return decimals === 0 ? '0' : `0.${'0'.repeat(decimals)}`;
}

function withUnit(title: string, unit: string): string {
  return unit ? `${title} (${unit})` : title;
}

export async function formatPlanXlsx(sheet: PlanSheet): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = 'Relife';

  const summary = wb.addWorksheet('Summary');
  summary.columns = [{ width: 28 }, { width: 40 }, { width: 14 }, { width: 18 }, { width: 18 }, { width: 18 }, { width: 18 }, { width: 18 }, { width: 18 }, { width: 18 }];
  const title = summary.addRow([sheet.title]);
  title.font = { bold: true, size: 14 };
  title.commit();
  const meta: [string, string | number | boolean | null][] = [
    ['plan', sheet.planId],
    ['run', sheet.runId],
    ['solution index', sheet.solutionIndex],
    ['knee solution', sheet.knee ? 'yes' : 'no'],
    ['figures', sheet.figuresSource],
    ['created', sheet.createdAt],
  ];
  for (const [k, v] of meta) summary.addRow([k, v ?? '']).commit();
  summary.addRow([]).commit();
  const oh = summary.addRow(['objective', 'value', 'unit', 'better']);
  oh.font = { bold: true };
  oh.commit();
  for (const o of sheet.objectives) summary.addRow([o.name, o.value, o.unit, o.sense === 'maximize' ? 'higher' : 'lower']).commit();
  summary.addRow([]).commit();
  const th = summary.addRow(TOTAL_COLUMNS.map((c) => withUnit(c.title, c.unit)));
  th.font = { bold: true };
  th.commit();
  for (const t of planTotals(sheet)) {
    const row = summary.addRow(TOTAL_COLUMNS.map((c) => t[c.key] ?? null));
    TOTAL_COLUMNS.forEach((c, j) => {
      const f = numFmt(c.decimals);
      if (f) row.getCell(j + 1).numFmt = f;
    });
    row.commit();
  }
  summary.commit();

  const modules = wb.addWorksheet('Modules', { views: [{ state: 'frozen', ySplit: 1 }] });
  modules.columns = PLAN_COLUMNS.map((c) => ({
    header: withUnit(c.csv, c.unit),
    key: c.json,
    width: c.csv === 'reason' ? 100 : Math.max(10, Math.min(32, c.csv.length + 4)),
    ...(numFmt(c.decimals) ? { style: { numFmt: numFmt(c.decimals) } } : {}),
  }));
  modules.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: PLAN_COLUMNS.length } };
  for (const l of sheet.lines) modules.addRow(PLAN_COLUMNS.map((c) => c.value(l))).commit();
  modules.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}
