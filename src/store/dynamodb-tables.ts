/**
 * The local DynamoDB's storage: table descriptions and items. The service (emulators/dynamodb)
 * owns the semantics (key schema, expressions, errors); this is rows. Keys arrive already in their
 * canonical text form, so equal DynamoDB keys are equal rows.
 */
import type Database from 'better-sqlite3';

export interface DynamoTableRow {
  name: string;
  /** The table's description as JSON text (what DescribeTable answers, minus live counts). */
  description: string;
  createdAt: number;
}

export interface ItemKey {
  hash: string;
  /** '' for a table without a sort key. */
  range: string;
}

export class DynamoDbTables {
  constructor(private readonly db: Database.Database) {}

  insertTable(name: string, description: string, createdAt: number): boolean {
    const r = this.db.prepare('INSERT OR IGNORE INTO dynamodb_tables (name, description, created_at) VALUES (?, ?, ?)').run(name, description, createdAt);
    return r.changes === 1;
  }

  getTable(name: string): DynamoTableRow | undefined {
    const r = this.db.prepare('SELECT name, description, created_at FROM dynamodb_tables WHERE name = ?').get(name) as { name: string; description: string; created_at: number } | undefined;
    return r && { name: r.name, description: r.description, createdAt: r.created_at };
  }

  /** Names in DynamoDB's order (ascending, by code unit), after `exclusiveStart`, at most `limit`. */
  listTables(exclusiveStart: string | undefined, limit: number): string[] {
    const rows = (
      exclusiveStart === undefined
        ? this.db.prepare('SELECT name FROM dynamodb_tables ORDER BY name LIMIT ?').all(limit)
        : this.db.prepare('SELECT name FROM dynamodb_tables WHERE name > ? ORDER BY name LIMIT ?').all(exclusiveStart, limit)
    ) as { name: string }[];
    return rows.map((r) => r.name);
  }

  /** Deletes the table and its items in one transaction. */
  deleteTable(name: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM dynamodb_items WHERE table_name = ?').run(name);
      return this.db.prepare('DELETE FROM dynamodb_tables WHERE name = ?').run(name).changes === 1;
    })();
  }

  itemCount(name: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM dynamodb_items WHERE table_name = ?').get(name) as { n: number }).n;
  }

  getItem(table: string, key: ItemKey): string | undefined {
    const r = this.db.prepare('SELECT item FROM dynamodb_items WHERE table_name = ? AND hash_key = ? AND range_key = ?').get(table, key.hash, key.range) as { item: string } | undefined;
    return r?.item;
  }

  putItem(table: string, key: ItemKey, item: string): void {
    this.db.prepare('INSERT OR REPLACE INTO dynamodb_items (table_name, hash_key, range_key, item) VALUES (?, ?, ?, ?)').run(table, key.hash, key.range, item);
  }

  deleteItem(table: string, key: ItemKey): void {
    this.db.prepare('DELETE FROM dynamodb_items WHERE table_name = ? AND hash_key = ? AND range_key = ?').run(table, key.hash, key.range);
  }

  /** Items of a table in key order, after `after` (exclusive), at most `limit` (Scan). */
  scan(table: string, after: ItemKey | undefined, limit: number): { key: ItemKey; item: string }[] {
    const rows = (
      after === undefined
        ? this.db.prepare('SELECT hash_key, range_key, item FROM dynamodb_items WHERE table_name = ? ORDER BY hash_key, range_key LIMIT ?').all(table, limit)
        : this.db
            .prepare('SELECT hash_key, range_key, item FROM dynamodb_items WHERE table_name = ? AND (hash_key > ? OR (hash_key = ? AND range_key > ?)) ORDER BY hash_key, range_key LIMIT ?')
            .all(table, after.hash, after.hash, after.range, limit)
    ) as { hash_key: string; range_key: string; item: string }[];
    return rows.map((r) => ({ key: { hash: r.hash_key, range: r.range_key }, item: r.item }));
  }
}
