/** Memory and CPU time of other processes, read from /proc (Linux), for the benchmarks that run the service or the engine. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Resident size in bytes: `VmRSS` now, or `VmHWM` its highest so far; NaN when the process is gone. */
export function residentBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Sets a process's peak resident size (`VmHWM`) back to its size now (Linux 4.0+: `5` into /proc/PID/clear_refs). */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Parent of every running process, by scanning /proc/PID/stat once. */
function parents(): Map<number, number> {
  const found = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name is in parentheses and may hold spaces: the parent is the second field after it.
      const rest = /\) (.*)$/.exec(readFileSync(`/proc/${name}/stat`, 'utf8').trim())?.[1] ?? '';
      found.set(Number(name), Number(rest.split(' ')[1]));
    } catch {
      // a process that ended meanwhile
    }
  }
  return found;
}

/** The first process below `root` (at any depth: npm → sh → node → java) whose command line contains `marker`. */
export function descendantRunning(root: number, marker: string): number | null {
  const parentOf = parents();
  const below = (pid: number): boolean => {
    for (let at = parentOf.get(pid); at !== undefined && at > 0; at = parentOf.get(at)) if (at === root) return true;
    return false;
  };
  for (const pid of parentOf.keys()) {
    if (!below(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker)) return pid;
    } catch {
      // ended meanwhile
    }
  }
  return null;
}

/** CPU time (user + system) a process has used so far, in milliseconds (clock ticks of 10 ms); NaN when it is gone. */
export function cpuMillis(pid: number): number {
  try {
    const rest = /\) (.*)$/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8').trim())?.[1] ?? '';
    const fields = rest.split(' ');
    // After the command name: state is field 3 of stat, so utime (14) and stime (15) are at 11 and 12 here.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}
