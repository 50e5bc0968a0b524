/**
 * The run state machine. QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED; a RUNNING run whose
 * worker vanished goes back to QUEUED (lease expired) and a QUEUED run can be cancelled before it
 * starts. Terminal states never change again.
 */
import type { RunStatus } from '../db/schema/runs.js';

export type { RunStatus };

const TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  QUEUED: ['RUNNING', 'CANCELLED', 'FAILED'],
  RUNNING: ['SUCCEEDED', 'FAILED', 'CANCELLED', 'QUEUED'],
  SUCCEEDED: [],
  FAILED: [],
  CANCELLED: [],
};

export const TERMINAL_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return TRANSITIONS[from].includes(to);
}
