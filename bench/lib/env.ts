// Imported first by the entry points: the AWS SDK warns once per client about Node 20; the bench
// knows it runs on Node 20 and its output should stay a table.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
