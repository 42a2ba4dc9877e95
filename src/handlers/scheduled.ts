// Lambda entry point: written by the loop work; see src/handlers/README in the stack issue.
export const handler = async (): Promise<void> => {};
