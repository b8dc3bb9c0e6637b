// The rows of a table as the grid scrolls: pages fetched by keyset cursor, in order, one
// request at a time, as far as the viewport needs; the first page's position is where the
// table's changes are followed from (no gap, no repeat).

export interface Page<Row> {
  data: Row[];
  next_cursor: string | null;
  has_more: boolean;
  position?: string;
}

export class Rows<Row> {
  readonly rows: Row[] = [];
  /** Where the table's changes stood when the first page was read. */
  position: string | undefined;
  private cursor: string | undefined;
  private more = true;
  private loading: Promise<void> | null = null;

  constructor(private readonly fetchPage: (cursor: string | undefined) => Promise<Page<Row>>) {}

  get complete(): boolean {
    return !this.more;
  }

  /** Loads pages until `count` rows are here or the table ends; resolves when done. */
  async ensure(count: number): Promise<void> {
    while (this.more && this.rows.length < count) {
      this.loading ??= this.fetchPage(this.cursor)
        .then((page) => {
          this.rows.push(...page.data);
          this.position ??= page.position;
          this.cursor = page.next_cursor ?? undefined;
          this.more = page.has_more && page.next_cursor !== null;
        })
        .finally(() => (this.loading = null));
      await this.loading;
    }
  }
}
