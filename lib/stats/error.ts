/** A query the language refuses: the api answers it with a 400 carrying this message. */
export class QueryError extends Error {}
