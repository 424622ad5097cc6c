import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/**
 * Properties of `RateLimitWebAcl`.
 */
export interface RateLimitWebAclProps {
  /**
   * ARN of the regional resource to protect: an API Gateway stage or a Cognito user pool.
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-chapter.html
   */
  readonly resourceArn: string;

  /**
   * Requests one source IP may make in 5 minutes before WAF answers 429, from 10 to 2,000,000,000.
   * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
   */
  readonly limit: number;

  /** Prefix of the CloudWatch metric names, letters and digits, e.g. 'UserPool'. */
  readonly metricName: string;

  /** What the web ACL protects, for its description. */
  readonly description: string;
}

/**
 * A regional WAF web ACL with one rate-based rule on the TCP source IP (never a forwarded header), associated
 * with one resource. WAF counts per source IP over a 5-minute window and blocks with a JSON 429 above `limit`.
 */
export class RateLimitWebAcl extends Construct {
  /** ARN of the web ACL. */
  public readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: RateLimitWebAclProps) {
    super(scope, id);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      description: `Rate limit per source IP for ${props.description} (cdk-passwordless)`,
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.metricName),
      customResponseBodies: {
        TooManyRequests: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ message: 'Too many requests from this address; try again in a few minutes.' }),
        },
      },
      rules: [{
        name: 'RateLimitPerSourceIp',
        priority: 0,
        action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'TooManyRequests' } } },
        // aggregateKeyType IP is the connection's address; FORWARDED_IP would trust a header any client can set (R9).
        statement: { rateBasedStatement: { limit: props.limit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
        visibilityConfig: visibility(`${props.metricName}RateLimitPerSourceIp`),
      }],
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.resourceArn,
      webAclArn: webAcl.attrArn,
    });
    this.webAclArn = webAcl.attrArn;
  }
}
