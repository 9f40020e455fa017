/**
 * Where the editor's docs links go: this package's README sections (the credential dialog's and the node
 * panel's "Docs" links), not Microsoft Learn, so a user lands on what this node does with a setting.
 * The README as the npm registry shows it is package.json's `homepage`; a unit test checks each anchor
 * against the README's headings.
 */
export const README_URL = 'https://www.npmjs.com/package/n8n-nodes-microsoft-365-defender';

export const readmeSection = (anchor: string): string => `${README_URL}#${anchor}`;
