/** A pool task that reports the calling thread's id and nice value, read from /proc. */
import { readFileSync } from 'node:fs';

export interface ThreadStat {
  tid: number;
  nice: number;
}

/** Fields of /proc/…/stat after the command name (which may hold spaces): nice is field 19. */
export function parseStat(text: string): ThreadStat {
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { tid: Number(text.slice(0, text.indexOf(' '))), nice: Number(rest[16]) };
}

export function readThreadStat(path = '/proc/thread-self/stat'): ThreadStat {
  return parseStat(readFileSync(path, 'utf8'));
}

/** Busy for `ms` so that concurrent tasks land on different threads, then reports this thread. */
export function threadStat(payload: { ms: number }): ThreadStat {
  const until = Date.now() + payload.ms;
  while (Date.now() < until);
  return readThreadStat();
}
