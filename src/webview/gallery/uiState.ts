// What the gallery webview keeps through `setState`: UI state only (GitLens's rule: never domain data), restored
// defensively since it may come from an older version of the extension.
import { DEFAULT_FILTER, restoreFilter } from './filters';
import type { FilterState } from './filters';
import { restoreVerdicts } from './issueQueue';
import type { Verdict } from './issueQueue';

/** UI state that survives hiding and reloading the panel. */
export interface UiState {
  datasetRoot?: string;
  tileSize: number;
  scrollTop: number;
  filter: FilterState;
  focus?: string;
  selected: string[];
  detail?: string;
  /** Showing the label-issue queue (within the filter). */
  issueQueue: boolean;
  /** Verdicts given in the issue queue, by item id. */
  verdicts: Record<string, Verdict>;
  /** Multi-label datasets: the finding `p`, `n` and `m` set. */
  finding?: string;
}

/** Selections larger than this are not persisted (state is serialized on every change). */
export const MAX_SAVED_SELECTION = 5000;

/** The saved state, with anything malformed replaced by its default. */
export function restoreUiState(state: unknown): UiState {
  const saved = (state ?? {}) as Partial<UiState>;
  return {
    datasetRoot: typeof saved.datasetRoot === 'string' ? saved.datasetRoot : undefined,
    tileSize: typeof saved.tileSize === 'number' ? saved.tileSize : 180,
    scrollTop: typeof saved.scrollTop === 'number' ? saved.scrollTop : 0,
    filter: saved.filter ? restoreFilter(saved.filter) : DEFAULT_FILTER,
    focus: typeof saved.focus === 'string' ? saved.focus : undefined,
    selected: Array.isArray(saved.selected) ? saved.selected.filter((id): id is string => typeof id === 'string') : [],
    detail: typeof saved.detail === 'string' ? saved.detail : undefined,
    issueQueue: saved.issueQueue === true,
    verdicts: restoreVerdicts(saved.verdicts),
    finding: typeof saved.finding === 'string' ? saved.finding : undefined,
  };
}
