/** What the indicator operations share. */
export const INDICATORS_PATH = '/api/indicators';
/** api/get-ti-indicators-collection: $top up to 10,000 */
export const INDICATORS_PAGE_SIZE = 10_000;

export const indicatorPath = (id: string) => `${INDICATORS_PATH}/${encodeURIComponent(id)}`;
