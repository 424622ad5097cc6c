export const handler = async (e: unknown) => e;
