/**
 * What `GET /api/datasets/<id>` answers: what a visitor needs to read and reuse a dataset before
 * any of its rows (title, licence, source, size, date of the last change). The server writes it
 * from the validated document; the public page reads it. Optional fields are absent, never "".
 */
export interface DatasetAbout {
  datasetId: string;
  title: string;
  description?: string;
  licence?: string;
  source?: string;
  rowCount: number;
  /** ISO 8601: the last change the dataset's history records (else when it was created). */
  lastChange?: string;
}
