// A program with a bug (not a refusal): the report locates the crash in this file's TypeScript line.
const settings: { proxy?: { url: string } } = {};
export const proxyUrl = settings.proxy!.url;
