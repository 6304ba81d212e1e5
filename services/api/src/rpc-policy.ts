import { PermissionDeniedError } from '@caracal/core';
import { TokenRole } from '@caracal/core/control-plane';
import { PantherAuditAction } from '@caracal/core/log-schemas';
import type { Caller } from './token-auth.service';

/** What a method needs and how it is written in the caller's audit trail. */
export interface RpcPolicy {
  roles: readonly TokenRole[];
  action: PantherAuditAction;
}

const EVERYONE: readonly TokenRole[] = ['admin', 'analyst', 'read-only'];
const WRITERS: readonly TokenRole[] = ['admin', 'analyst'];
const ADMINS: readonly TokenRole[] = ['admin'];

/**
 * Every method the server serves, by its full gRPC path. A method missing
 * here is refused for everyone, so a new RPC cannot ship unguarded.
 */
export const RPC_POLICIES: Readonly<Record<string, RpcPolicy>> = {
  '/caracal.query.v1.QueryService/ExecuteQuery': { roles: EVERYONE, action: 'EXECUTE_DATA_LAKE_QUERY' },
  '/caracal.query.v1.QueryService/CancelQuery': { roles: EVERYONE, action: 'CANCEL_DATA_LAKE_QUERY' },
  '/caracal.alert.v1.AlertService/ListAlerts': { roles: EVERYONE, action: 'LIST_ALERTS' },
  '/caracal.alert.v1.AlertService/GetAlert': { roles: EVERYONE, action: 'GET_ALERT' },
  '/caracal.alert.v1.AlertService/UpdateAlertStatus': { roles: WRITERS, action: 'UPDATE_ALERT_STATUS' },
  '/caracal.alert.v1.AlertService/UpdateAlertAssignee': { roles: WRITERS, action: 'UPDATE_ALERT_ASSIGNEE' },
  // Panther's list has no comment action; a comment is a change of the alert's triage, as a status is.
  '/caracal.alert.v1.AlertService/AddAlertComment': { roles: WRITERS, action: 'UPDATE_ALERT_STATUS' },
  '/caracal.detection.v1.DetectionService/ListDetections': { roles: EVERYONE, action: 'LIST_DETECTIONS' },
  '/caracal.detection.v1.DetectionService/GetDetection': { roles: EVERYONE, action: 'GET_RULE' },
  // CREATE_RULE or UPDATE_RULE: the handler tells which once it knows.
  '/caracal.detection.v1.DetectionService/PutDetection': { roles: WRITERS, action: 'CREATE_RULE' },
  '/caracal.detection.v1.DetectionService/DeleteDetection': { roles: WRITERS, action: 'DELETE_DETECTION' },
  // Runs Python in this service: not for read-only tokens.
  '/caracal.detection.v1.DetectionService/TestDetection': { roles: WRITERS, action: 'TEST_RULE' },
  // Runs Python in this service over the tenant's lake, at the tenant's cost: not for read-only tokens.
  '/caracal.detection.v1.DetectionService/ReplayDetection': { roles: WRITERS, action: 'TEST_RULE' },
  '/caracal.source.v1.SourceService/CreateSource': { roles: ADMINS, action: 'CREATE_LOG_SOURCE' },
  '/caracal.source.v1.SourceService/ListSources': { roles: ADMINS, action: 'LIST_LOG_SOURCES' },
  '/caracal.source.v1.SourceService/DeleteSource': { roles: ADMINS, action: 'DELETE_LOG_SOURCE' },
  '/caracal.source.v1.SourceService/RotateSourceSecret': { roles: ADMINS, action: 'UPDATE_LOG_SOURCE' },
  '/caracal.token.v1.TokenService/CreateToken': { roles: ADMINS, action: 'CREATE_API_TOKEN' },
  '/caracal.token.v1.TokenService/ListTokens': { roles: ADMINS, action: 'LIST_API_TOKENS' },
  '/caracal.token.v1.TokenService/RevokeToken': { roles: ADMINS, action: 'DELETE_API_TOKEN' },
  // Panther's scheduled queries are saved queries with a schedule, and their runs its data lake queries.
  '/caracal.schedule.v1.ScheduleService/ListScheduledQueries': { roles: EVERYONE, action: 'LIST_SAVED_DATA_LAKE_QUERIES' },
  '/caracal.schedule.v1.ScheduleService/ListScheduledQueryRuns': { roles: EVERYONE, action: 'LIST_DATA_LAKE_QUERIES' },
  // Reads the lake at the tenant's cost and hands the rows to the scheduled rules, which may raise alerts: not for read-only tokens.
  '/caracal.schedule.v1.ScheduleService/RunScheduledQuery': { roles: WRITERS, action: 'EXECUTE_DATA_LAKE_QUERY' },
};

/** `/caracal.query.v1.QueryService/ExecuteQuery` → `QueryService/ExecuteQuery`, as people read it. */
export function shortMethod(path: string): string {
  const [service = '', method = ''] = path.replace(/^\//, '').split('/');
  return `${service.split('.').pop()}/${method}`;
}

export function policyOf(path: string): RpcPolicy | undefined {
  return Object.prototype.hasOwnProperty.call(RPC_POLICIES, path) ? RPC_POLICIES[path] : undefined;
}

/** Refuses a caller whose role the method does not admit, naming the roles that would do. */
export function authorize(caller: Caller, path: string, policy: RpcPolicy | undefined): void {
  if (!policy) throw new PermissionDeniedError(`${shortMethod(path)} is not a method this server grants to any token`);
  if (!policy.roles.includes(caller.role)) {
    throw new PermissionDeniedError(
      `token "${caller.tokenName}" has the ${caller.role} role; ${shortMethod(path)} needs ${policy.roles.length === 1 ? 'the' : 'one of the'} ${policy.roles.join(' or ')} role${policy.roles.length === 1 ? '' : 's'}`,
    );
  }
}
