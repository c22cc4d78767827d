// The collection list's rows, made from the columns Rust sends (CollectionColumns: an array per
// field and each owner once — 10,000 rows are ~1.0 MB of JSON instead of ~1.56 MB of objects).
import type { CollectionColumns } from '../bindings/CollectionColumns';
import type { Listed } from '../bindings/Listed';
import type { Api } from '../platform/client';

/** A row of the collection list as CollectionList shows it. */
export interface CollectionRow {
  uid: string;
  name: string;
  /** "" when the answer named none. */
  owner: string;
  /** ISO 8601 time of the last update, as Postman returns it ("" when it gave none). */
  updatedAt: string;
  /** An unsaved draft of it is kept locally. */
  hasDraft: boolean;
}

/** The rows of a collection list, in its order, and where the list comes from. */
export function collectionRows(c: CollectionColumns): Listed<CollectionRow> {
  const rows = new Array<CollectionRow>(c.uid.length);
  let next = 0; // `drafted` is ascending
  for (let i = 0; i < rows.length; i++) {
    const o = c.owner[i];
    const hasDraft = c.drafted[next] === i;
    if (hasDraft) next++;
    rows[i] = {
      uid: c.uid[i]!,
      name: c.name[i]!,
      owner: o === null || o === undefined ? '' : (c.owners[o] ?? ''),
      updatedAt: c.updatedAt[i] ?? '',
      hasDraft,
    };
  }
  return { rows, source: c.source };
}

/** The collections of `workspace` (null: all the key can see) as rows. */
export async function listCollections(api: Api, workspace: string | null, force: boolean): Promise<Listed<CollectionRow>> {
  return collectionRows(await api.libraryCollections({ workspace, force }));
}
