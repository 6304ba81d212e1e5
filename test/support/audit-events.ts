/** Panther.Audit events as a Panther console writes them, with timestamps near now so p_occurs_since finds them. */
function stamp(offsetMs = 0): string {
  return new Date(Date.now() - offsetMs).toISOString().replace('T', ' ').replace('Z', '');
}

export function deleteDetectionEvent(detectionId = 'GitHub.Team.Modified', email = 'homer@springfield.gov') {
  return {
    actionName: 'DELETE_DETECTION',
    actionParams: { dynamic: { input: { detections: [{ id: detectionId }] } } },
    actionResult: 'SUCCEEDED',
    actor: {
      attributes: { email, emailVerified: true, roleId: '11111111-2222-3333-4444-555555555555', roleName: 'Admin' },
      id: '0d6e8d0f-3a83-4a76-8f39-cf5b1ee93b03',
      name: email,
      type: 'USER',
    },
    errors: null,
    pantherVersion: '1.74.6',
    sourceIP: '203.0.113.10',
    timestamp: stamp(5000),
    userAgent: 'Mozilla/5.0',
  };
}

export function dataLakeQueryEvent(email = 'marge@springfield.gov') {
  return {
    actionName: 'EXECUTE_DATA_LAKE_QUERY',
    actionParams: { dynamic: { input: { sql: 'SELECT 1' } } },
    actionResult: 'SUCCEEDED',
    actor: { attributes: { email }, id: 'f4a3b2c1-0000-4000-8000-000000000001', name: email, type: 'USER' },
    pantherVersion: '1.74.6',
    sourceIP: '198.51.100.7',
    XForwardedFor: ['198.51.100.7', '10.0.0.1'],
    timestamp: new Date(Date.now() - 10_000).toISOString(),
  };
}
