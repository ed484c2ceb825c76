// ElastiCacheRedis: the proxy's single-flight backend in AWS, as Athens needs it to start (it pings
// the backend at start and exits when it cannot reach it): a Redis replication group encrypted in
// transit (TLS, so clients connect with rediss://) and at rest, behind an auth token that is a
// Pulumi secret (from config, or generated once and kept in state), in the cluster's private
// subnets, reachable on its port only from the cluster's node security groups.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";

export interface ElastiCacheRedisArgs {
  readonly vpcId: string;
  /** Private subnets in at least two availability zones. */
  readonly subnetIds: readonly string[];
  /** The only sources admitted on the port: the cluster's node security groups. */
  readonly clientSecurityGroupIds: readonly string[];
  readonly nodeType: string;
  /** @default 6379 */
  readonly port?: number;
  /** The auth token (16-128 printable characters, none of / " @ or space); a Pulumi secret. @default - generated once (64 letters and digits) */
  readonly authToken?: pulumi.Output<string>;
  /** `protect` on the replication group. @default false */
  readonly protect?: boolean;
  /** @default true */
  readonly retainOnDelete?: boolean;
}

/** Problems with the args (pure): each names the field, the value and the fix. */
export function elastiCacheProblems(args: ElastiCacheRedisArgs): string[] {
  const out: string[] = [];
  if (!/^vpc-[0-9a-f]{8,17}$/.test(args.vpcId)) out.push(`vpcId: "${args.vpcId}" is not a VPC id (vpc-…)`);
  if (args.subnetIds.length < 2) out.push(`subnetIds: ${args.subnetIds.length} subnet(s); the replica fails over to another availability zone: give at least 2`);
  for (const s of args.subnetIds) if (!/^subnet-[0-9a-f]{8,17}$/.test(s)) out.push(`subnetIds: "${s}" is not a subnet id (subnet-…)`);
  if (args.clientSecurityGroupIds.length === 0) out.push("clientSecurityGroupIds: empty; nothing could reach the Redis: give the cluster's node security groups");
  for (const s of args.clientSecurityGroupIds) if (!/^sg-[0-9a-f]{8,17}$/.test(s)) out.push(`clientSecurityGroupIds: "${s}" is not a security group id (sg-…)`);
  if (!/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(args.nodeType)) out.push(`nodeType: "${args.nodeType}" is not an ElastiCache node type (such as cache.t4g.small)`);
  if (args.authToken !== undefined && !pulumi.Output.isInstance(args.authToken)) out.push("authToken: given as plain text; pass a Pulumi secret (pulumi config set --secret goguard:redisPassword …)");
  return out;
}

export class ElastiCacheRedis extends pulumi.ComponentResource {
  /** `host:port` of the primary endpoint. */
  public readonly address: pulumi.Output<string>;
  public readonly port: number;
  /** The auth token, secret. */
  public readonly authToken: pulumi.Output<string>;

  constructor(name: string, args: ElastiCacheRedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goguard:index:ElastiCacheRedis", name, {}, opts);
    const problems = elastiCacheProblems(args);
    if (problems.length > 0) throw new pulumi.ResourceError(`ElastiCacheRedis ${name}: ${problems.join("\n")}`, this);
    const port = args.port ?? 6379;
    const child = { parent: this };
    const token =
      args.authToken ??
      // Letters and digits only: always inside ElastiCache's token grammar, and URL-safe.
      pulumi.secret(new random.RandomPassword(`${name}-auth-token`, { length: 64, special: false, minLower: 1, minUpper: 1, minNumeric: 1 }, child).result);
    const subnets = new aws.elasticache.SubnetGroup(`${name}-subnets`, { description: "Athens single-flight Redis (GoGuard)", subnetIds: [...args.subnetIds] }, child);
    // No inline rules: the group admits exactly the rules below and allows no egress (Redis answers
    // on the connections it accepted).
    const sg = new aws.ec2.SecurityGroup(`${name}-sg`, { vpcId: args.vpcId, description: "Athens single-flight Redis (GoGuard): the Redis port from the cluster's nodes only", revokeRulesOnDelete: true }, child);
    for (const client of [...new Set(args.clientSecurityGroupIds)].sort()) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-from-${client}`,
        { securityGroupId: sg.id, referencedSecurityGroupId: client, ipProtocol: "tcp", fromPort: port, toPort: port, description: "Redis from the cluster's nodes" },
        child,
      );
    }
    const group = new aws.elasticache.ReplicationGroup(
      `${name}-redis`,
      {
        description: "Athens single-flight (GoGuard)",
        engine: "redis",
        engineVersion: "7.1",
        nodeType: args.nodeType,
        port,
        // A primary and a replica in another zone, failing over on its own.
        numCacheClusters: 2,
        automaticFailoverEnabled: true,
        multiAzEnabled: true,
        subnetGroupName: subnets.name,
        securityGroupIds: [sg.id],
        transitEncryptionEnabled: true,
        atRestEncryptionEnabled: true,
        authToken: token,
        autoMinorVersionUpgrade: true,
        // Locks only: nothing worth a snapshot.
        snapshotRetentionLimit: 0,
      },
      { parent: this, protect: args.protect ?? false, retainOnDelete: args.retainOnDelete ?? true, additionalSecretOutputs: ["authToken"] },
    );
    this.port = port;
    this.address = pulumi.interpolate`${group.primaryEndpointAddress}:${port}`;
    this.authToken = token;
    this.registerOutputs({ address: this.address, authToken: this.authToken });
  }
}
