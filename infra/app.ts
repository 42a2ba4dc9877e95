/**
 * CDK app entry (`cdk.json` runs it through tsx). Settings are CDK context values; see the
 * header of ./stack.ts for the list.
 */
import { App } from 'aws-cdk-lib';
import { Arm64CiStack } from './stack';

const app = new App();
new Arm64CiStack(app, String(app.node.tryGetContext('stackName') ?? 'Arm64Ci'), {
  // Deploy to the account and region of the caller's AWS profile; synth works without one.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
