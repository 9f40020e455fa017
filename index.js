// n8n loads this package's nodes and credentials from the "n8n" attribute of package.json.
module.exports = {};
