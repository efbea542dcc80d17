// The messages between the extension host and the dataset-map webview (part of the one protocol: protocol.ts
// re-exports them). Points go over as typed arrays and are named by their index, never by path: a selection is a
// list of indices the host turns back into items, after checking every one.
import type { WebviewMessage } from './protocol';

/** One way of colouring the points: a category per point (`codes`, 255 = none), or a value in [0, 1] (`values`, NaN = none). */
export interface MapColouring {
  /** `finding:<name>`: a multi-label dataset's state of that finding; `findings`: whether any is positive. */
  name: 'label' | 'prediction' | 'correctness' | 'findings' | 'source' | 'flag' | 'split' | 'issue' | `finding:${string}`;
  /** What the menu says, e.g. "Label". */
  title: string;
  categories?: string[];
  codes?: Uint8Array;
  values?: Float32Array;
}

/** The points of the map, in one order; index i of every array is point i. */
export interface MapPoints {
  x: Float32Array;
  y: Float32Array;
}

//#region to the map webview

export interface MapReadyReply {
  type: 'mapReady';
  /** Folder name shown in the title. */
  name: string;
  points: MapPoints;
  colourings: MapColouring[];
  /** The gallery's focused and selected points. */
  highlighted: number[];
  /** What the map leaves out (images not embedded yet) and how it was made, shown under it. */
  note: string;
}

/** Labels, predictions or flags changed: new colours for the same points. */
export interface MapColoursEvent {
  type: 'colours';
  colourings: MapColouring[];
}

/** The gallery's focused and selected images changed. */
export interface MapHighlightEvent {
  type: 'highlight';
  highlighted: number[];
}

/** The file name and facts of a point, for the tooltip. */
export interface MapPointReply {
  type: 'point';
  index: number;
  id: string;
}

export type ToMapBody = MapReadyReply | MapColoursEvent | MapHighlightEvent | MapPointReply | { type: 'error'; message: string };

//#endregion

//#region from the map webview

export type FromMapBody =
  /** The handshake; answered with `MapReadyReply`. */
  | { type: 'ready' }
  /** Show these points in the gallery (a lasso or box selection); an empty list shows every image again. */
  | { type: 'select'; indices: number[] }
  /** The id of one point (the tooltip); answered with `MapPointReply`. */
  | { type: 'point'; index: number };

//#endregion

export type ToMapMessage = WebviewMessage<ToMapBody>;
export type FromMapMessage = WebviewMessage<FromMapBody>;
