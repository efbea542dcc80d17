// The image files found under a dataset folder, looked up the ways label files name them: by relative path
// (CheXpert, MIMIC), by file name wherever it sits (NIH's images_001/images/..., PadChest's numbered folders),
// or by name without extension (VinDr's image_id).

export type Lookup = { id: string } | { error: string };

export class FileIndex {
  private readonly ids: Set<string>;
  private readonly byName = new Map<string, string[]>();
  private readonly byStem = new Map<string, string[]>();

  constructor(ids: Iterable<string>) {
    this.ids = new Set(ids);
    for (const id of this.ids) {
      const name = id.slice(id.lastIndexOf('/') + 1);
      const dot = name.lastIndexOf('.');
      push(this.byName, name, id);
      push(this.byStem, dot > 0 ? name.slice(0, dot) : name, id);
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** The file at exactly this relative path. */
  byPath(relative: string): Lookup {
    const id = relative.replace(/\\/g, '/').replace(/^\.\//, '');
    return this.ids.has(id) ? { id } : { error: `no image file at ${relative}` };
  }

  /** The file at this relative path, else the only file of this name wherever it is. */
  byPathOrName(relative: string): Lookup {
    const found = this.byPath(relative);
    return 'id' in found ? found : this.byFileName(relative.slice(relative.replace(/\\/g, '/').lastIndexOf('/') + 1), relative);
  }

  /** Every file id, in the order given. */
  all(): IterableIterator<string> {
    return this.ids.values();
  }

  byFileName(name: string, written = name): Lookup {
    return only(this.byName.get(name), written);
  }

  /** The only file whose name without extension is `stem` (`abc` finds `train/abc.png`). */
  byFileStem(stem: string): Lookup {
    return only(this.byStem.get(stem), stem);
  }
}

function push(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

function only(ids: string[] | undefined, written: string): Lookup {
  if (!ids) return { error: `no image file for ${written}` };
  if (ids.length > 1) return { error: `${ids.length} image files match ${written} (${ids.slice(0, 3).join(', ')}): ambiguous, not used` };
  return { id: ids[0] };
}
