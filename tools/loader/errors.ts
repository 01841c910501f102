/** A description (or a part of it) that is not what a system module must export: one line naming the file. */
export class DescriptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DescriptionError';
  }
}
