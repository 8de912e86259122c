/**
 * The small `node` process DynamoDB Local's `java` runs under, so it never outlives what it serves
 * (Java has no way to watch its parent, and DynamoDB Local no option for it):
 *
 * - `parent` mode: the guard's stdin is a pipe from the process that started it. When that
 *   process ends, however it ends (kill -9 included), the pipe closes and the guard stops java.
 * - `idle` mode (the CLI's kept DynamoDB Local): the guard runs detached and stops java once the
 *   record file's modification time (each CLI command touches it) is older than the idle timeout,
 *   or when the record is gone or names another process.
 *
 * Either way SIGTERM/SIGINT/SIGHUP stop java (SIGKILL after 5 s), and the guard exits when java
 * does. On Linux java also gets `setpriv --pdeathsig SIGKILL` when available, so even a kill -9
 * of the guard itself takes java with it. Run as `node -e GUARD_SOURCE -- <mode> <record>
 * <idleSeconds> <endpoint> <cwd> <java> <args...>` (no file of its own: works from the sources
 * and from the compiled CLI alike). It prints `dynamodb-local-guard: java pid <n>` first.
 */
export const GUARD_SOURCE = String.raw`
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const [mode, record, idleSeconds, endpoint, cwd, java, ...args] = process.argv.slice(1);
const pdeath = process.platform === 'linux' && fs.existsSync('/usr/bin/setpriv');
const child = pdeath
  ? spawn('/usr/bin/setpriv', ['--pdeathsig', 'KILL', java, ...args], { cwd, stdio: ['ignore', 'inherit', 'inherit'] })
  : spawn(java, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 5000).unref();
};
const ours = () => {
  try {
    return JSON.parse(fs.readFileSync(record, 'utf8')).pid === process.pid;
  } catch {
    return false;
  }
};
child.on('error', (error) => {
  process.stderr.write('dynamodb-local-guard: ' + (error.code === 'ENOENT' ? '"' + java + '" not found' : error.message) + '\n');
  process.exit(127);
});
child.on('exit', (code, signal) => {
  if (mode === 'idle' && ours()) fs.rmSync(record, { force: true });
  process.exit(code ?? (signal && !stopping ? 1 : 0));
});
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, stop);
process.stdout.write('dynamodb-local-guard: java pid ' + child.pid + '\n');
if (mode === 'parent') {
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  const parent = process.ppid;
  setInterval(() => { if (process.ppid !== parent) stop(); }, 1000).unref();
} else {
  const idleMs = Number(idleSeconds) * 1000;
  fs.writeFileSync(record + '.tmp', JSON.stringify({ pid: process.pid, javaPid: child.pid, endpoint, idleSeconds: Number(idleSeconds) }) + '\n', { mode: 0o600 });
  fs.renameSync(record + '.tmp', record);
  setInterval(() => {
    if (!ours()) return stop();
    try {
      if (Date.now() - fs.statSync(record).mtimeMs > idleMs) stop();
    } catch {
      stop();
    }
  }, 1000);
}
`;
