// A retrain writes a new `predictions/vN.json`: an open gallery hears of it through this watcher.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { predictionsDir } from '../ml/predictionFiles';

/** Calls `onChange` (debounced) when prediction files change; undefined when the state folder cannot be made. */
export function watchPredictionFiles(datasetRoot: string, onChange: () => void): { dispose(): void } | undefined {
  // The predictions folder appears with the first model: its parent, the state folder, is watched recursively. It is
  // made now if it is not there yet (the scan's snapshot goes there too), or a gallery opened before anything was
  // saved would never hear of its first model.
  const stateDir = path.dirname(predictionsDir(datasetRoot));
  try {
    fs.mkdirSync(stateDir, { recursive: true });
  } catch {
    return undefined;
  }
  let timer: NodeJS.Timeout | undefined;
  const watcher = fs.watch(stateDir, { recursive: true }, (_event, name) => {
    if (!name?.startsWith('predictions')) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, 300);
  });
  watcher.on('error', () => watcher.close());
  return {
    dispose: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
