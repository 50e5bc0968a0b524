/**
 * The one import path of module CSVs, used by GraphQL (`importModules`), the CLI (`relife
 * import`) and, through GraphQL, the web app: decode, parse and check the whole file, then write
 * every row or none. Creating the target fleet is part of the same transaction, so a rejected
 * file leaves no empty fleet behind.
 *
 * Targets: an existing fleet by id; a fleet by name, created when missing if asked (`relife
 * import --create`); or a new fleet that must not exist yet (GraphQL `newFleet`).
 */
import { eq } from 'drizzle-orm';
import { isUniqueViolation, type Db } from '../db/client.js';
import { createFleet, getFleet, getFleetByName, type FleetRow } from '../db/fleets.js';
import { fleetSerials, insertModules } from '../db/modules.js';
import { fleets } from '../db/schema/index.js';
import { MAX_CSV_BYTES, parseModulesCsv, type Delimiter } from '../planning/modules-csv.js';
import { summarise, ValidationError } from '../validation/problem.js';
import { ConflictError, NotFoundError } from './errors.js';

export type ImportTarget =
  | { fleetId: string; label?: string }
  | { fleetName: string; create?: boolean; description?: string | null }
  | { newFleet: { name: string; description?: string | null } };

export interface ImportModulesRequest {
  target: ImportTarget;
  /** The CSV text, or its bytes (decoded as strict UTF-8). */
  csv: string | Uint8Array;
  /** Import values that look like the wrong unit as written (the caller says they are meant). */
  allowSuspectUnits?: boolean;
  /** The separator; detected from the header when absent. */
  delimiter?: Delimiter;
  /** Check everything, write nothing (not with a `newFleet` target: there is no fleet to answer with). */
  dryRun?: boolean;
}

export interface ImportModulesOutcome {
  fleet: FleetRow;
  importedCount: number;
  createdFleet: boolean;
  delimiter: Delimiter;
  dryRun: boolean;
}

/** Thrown inside the transaction to roll it back on a dry run. */
class DryRunRollback extends Error {
  constructor(readonly outcome: ImportModulesOutcome) {
    super('dry run');
  }
}

/** Strict UTF-8: a file saved as Windows-1252 or Latin-1 is refused, not imported as mojibake. */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes.byteLength > MAX_CSV_BYTES) throw new ValidationError(`file larger than ${MAX_CSV_BYTES} bytes`, [{ row: null, column: null, message: `file larger than ${MAX_CSV_BYTES} bytes` }]);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const message = 'the file is not UTF-8 text (saved as Windows-1252 or Latin-1? save it as "CSV UTF-8")';
    throw new ValidationError(message, [{ row: null, column: null, message }]);
  }
}

export async function importModules(db: Db, request: ImportModulesRequest): Promise<ImportModulesOutcome> {
  const { target } = request;
  if ('newFleet' in target && request.dryRun) {
    const message = 'a dry run checks a file against an existing fleet: give fleetId, or import into the new fleet without dryRun (a rejected file creates nothing)';
    throw new ValidationError(message, [{ row: null, column: 'dryRun', message }]);
  }
  const text = typeof request.csv === 'string' ? request.csv : decodeCsvBytes(request.csv);
  try {
    return await db.transaction(async (tx) => {
      let fleet: FleetRow | undefined;
      let createdFleet = false;
      if ('fleetId' in target) {
        fleet = await getFleet(tx, target.fleetId);
        if (!fleet) throw new NotFoundError('Fleet', target.label ?? target.fleetId);
      } else if ('newFleet' in target) {
        if (await getFleetByName(tx, target.newFleet.name)) throw new ConflictError(`a fleet named "${target.newFleet.name}" already exists`);
        fleet = await createFleet(tx, { name: target.newFleet.name, description: target.newFleet.description ?? null });
        createdFleet = true;
      } else {
        fleet = await getFleetByName(tx, target.fleetName);
        if (!fleet && target.create) {
          fleet = await createFleet(tx, { name: target.fleetName, description: target.description ?? null });
          createdFleet = true;
        }
        if (!fleet) throw new NotFoundError('Fleet', target.fleetName);
      }
      // Serialises imports into one fleet, so two cannot both pass the duplicate-serial check.
      await tx.select({ id: fleets.id }).from(fleets).where(eq(fleets.id, fleet.id)).for('update');
      const parsed = parseModulesCsv(text, {
        existingSerials: await fleetSerials(tx, fleet.id),
        allowSuspectUnits: request.allowSuspectUnits ?? false,
        ...(request.delimiter ? { delimiter: request.delimiter } : {}),
      });
      if (!parsed.ok) throw new ValidationError(summarise('CSV rejected, nothing imported', parsed.problems), parsed.problems);
      const outcome: ImportModulesOutcome = { fleet, importedCount: parsed.modules.length, createdFleet, delimiter: parsed.delimiter, dryRun: request.dryRun ?? false };
      if (request.dryRun) throw new DryRunRollback(outcome);
      await insertModules(tx, fleet.id, parsed.modules);
      return outcome;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.outcome;
    if (isUniqueViolation(error) && 'fleetName' in target) throw new ConflictError(`a fleet named "${target.fleetName}" was created at the same time; import again`);
    if (isUniqueViolation(error) && 'newFleet' in target) throw new ConflictError(`a fleet named "${target.newFleet.name}" already exists`);
    throw error;
  }
}
