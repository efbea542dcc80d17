// The URLs of an item's images, built the same way on both sides: the host sends two base URLs once, the webview
// joins each tile's path to them when it shows the tile.
import type { GalleryItem, GalleryUrls } from './protocol';

/** A relative path with `/` separators as a URL path (each segment encoded). */
export function encodePath(relative: string): string {
  return relative.split('/').map(encodeURIComponent).join('/');
}

/** The original image of an item, when it can be shown. */
export function originalUrl(urls: GalleryUrls, item: Pick<GalleryItem, 'id' | 'error'>): string | undefined {
  return item.error ? undefined : `${urls.dataset}/${encodePath(item.id)}`;
}

/** The cached thumbnail of an item, once it exists. */
export function thumbnailUrl(urls: GalleryUrls, item: Pick<GalleryItem, 'thumb'>): string | undefined {
  return item.thumb && urls.thumbnails ? `${urls.thumbnails}/${encodePath(item.thumb)}` : undefined;
}
