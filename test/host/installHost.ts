// `scripts/setup.sh` calls this so the VS Code host is installed (once) before the tests or the start script need it.
import { ensureHostInstalled } from './vscodeHost';

console.log(`VS Code host ready: ${ensureHostInstalled()}`);
