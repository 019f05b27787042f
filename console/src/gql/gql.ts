/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Viewer {\n    viewer {\n      id\n      email\n      role\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation CreateConnection($input: CreateConnectionInput!) {\n    createConnection(input: $input) {\n      id\n      displayName\n      exportUser {\n        email\n      }\n    }\n  }\n": typeof types.CreateConnectionDocument,
    "\n  mutation UpdateConnection($id: ID!, $input: UpdateConnectionInput!) {\n    updateConnection(id: $id, input: $input) {\n      id\n      displayName\n    }\n  }\n": typeof types.UpdateConnectionDocument,
    "\n  query Connections {\n    connections(first: 50) {\n      nodes {\n        id\n        displayName\n        type\n        apiHost\n        apiKeyMasked\n        contributorsCanUse\n        canUse\n        privacyAcceptedAt\n        privacyAcceptedBy {\n          email\n        }\n        exportUser {\n          email\n        }\n      }\n    }\n    exports(first: 50) {\n      nodes {\n        id\n        name\n        connection {\n          id\n        }\n      }\n    }\n  }\n": typeof types.ConnectionsDocument,
    "\n  mutation DeleteConnection($id: ID!) {\n    deleteConnection(id: $id)\n  }\n": typeof types.DeleteConnectionDocument,
    "\n  query ExportChoices {\n    connections(first: 100) {\n      nodes {\n        id\n        displayName\n        canUse\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        memberCount\n      }\n    }\n    profileAttributes\n  }\n": typeof types.ExportChoicesDocument,
    "\n  query AccountFields($connectionId: ID!) {\n    connection(id: $connectionId) {\n      id\n      fields {\n        id\n        title\n        type\n        options\n      }\n    }\n  }\n": typeof types.AccountFieldsDocument,
    "\n  mutation CreateExport($input: CreateExportInput!) {\n    createExport(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateExportDocument,
    "\n  query Exports {\n    exports(first: 40) {\n      nodes {\n        id\n        name\n        listId\n        enabled\n        onLeave\n        tags\n        excludeAutomations\n        connection {\n          id\n          displayName\n          canUse\n        }\n        segments {\n          id\n          name\n          memberCount\n        }\n        mapping {\n          email\n          firstName\n          lastName\n          phone\n          fields {\n            attribute\n            fieldId\n          }\n        }\n        lastRun {\n          id\n          status\n        }\n      }\n    }\n  }\n": typeof types.ExportsDocument,
    "\n  query PreviewExport($id: ID!) {\n    previewExport(id: $id) {\n      totalProfiles\n      adds\n      updates\n      unchanged\n      leavers\n      rejects\n      skipped\n      etaSeconds\n      rejectSamples {\n        customerId\n        reason\n        message\n      }\n    }\n  }\n": typeof types.PreviewExportDocument,
    "\n  mutation RunExport($id: ID!) {\n    runExport(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.RunExportDocument,
    "\n  mutation DeleteExport($id: ID!) {\n    deleteExport(id: $id)\n  }\n": typeof types.DeleteExportDocument,
    "\n  query ExportRuns($exportId: ID!) {\n    export(id: $exportId) {\n      id\n      name\n      connection {\n        canUse\n      }\n      runs(first: 20) {\n        nodes {\n          id\n          status\n          trigger\n          startedAt\n          finishedAt\n          totalProfiles\n          exportedCount\n          rejectedCount\n          skippedCount\n        }\n      }\n    }\n  }\n": typeof types.ExportRunsDocument,
    "\n  query ExportNames {\n    exports(first: 100) {\n      nodes {\n        id\n        name\n        lastRun {\n          id\n          status\n        }\n      }\n    }\n  }\n": typeof types.ExportNamesDocument,
    "\n  query RunDetails($id: ID!) {\n    exportRun(id: $id) {\n      ...RunFields\n      rejects(first: 50) {\n        totalCount\n        nodes {\n          customerId\n          reason\n          message\n        }\n      }\n    }\n  }\n": typeof types.RunDetailsDocument,
    "\n  fragment RunFields on ExportRun {\n    id\n    status\n    error\n    startedAt\n    finishedAt\n    totalProfiles\n    sentCount\n    addedCount\n    updatedCount\n    unchangedCount\n    exportedCount\n    rejectedCount\n    failedCount\n    skippedCount\n    unconfirmedCount\n    leaverCount\n    unsubscribedCount\n    temporalUrl\n    progress {\n      phase\n      processed\n      total\n      confirmed\n      ratePerSecond\n      etaSeconds\n    }\n  }\n": typeof types.RunFieldsFragmentDoc,
    "\n  subscription RunProgress($id: ID!) {\n    exportRunProgress(id: $id) {\n      ...RunFields\n    }\n  }\n": typeof types.RunProgressDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelExportRun(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.CancelRunDocument,
    "\n  query RefreshScheduleSettings {\n    refreshSchedule {\n      cron\n      timezone\n      nextRunAt\n      lastRunAt\n      maxConcurrentExports\n    }\n  }\n": typeof types.RefreshScheduleSettingsDocument,
    "\n  mutation UpdateRefreshSchedule($cron: String!, $timezone: String!) {\n    updateRefreshSchedule(cron: $cron, timezone: $timezone) {\n      cron\n      timezone\n      nextRunAt\n    }\n  }\n": typeof types.UpdateRefreshScheduleDocument,
    "\n  query Users {\n    users {\n      id\n      email\n      role\n      canWriteProfiles\n      createdAt\n    }\n  }\n": typeof types.UsersDocument,
    "\n  mutation UpdateUserRole($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n    }\n  }\n": typeof types.UpdateUserRoleDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      token\n      user {\n        id\n        email\n        role\n      }\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  query AuditLog {\n    auditEvents(first: 50) {\n      totalCount\n      nodes {\n        id\n        action\n        actorEmail\n        subjectType\n        subjectId\n        createdAt\n      }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  query AccountLists($connectionId: ID!, $search: String, $after: String) {\n    connection(id: $connectionId) {\n      id\n      lists(search: $search, first: 100, after: $after) {\n        totalCount\n        nodes {\n          id\n          name\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.AccountListsDocument,
    "\n  query AccountTags($connectionId: ID!, $search: String) {\n    connection(id: $connectionId) {\n      id\n      tags(search: $search, first: 20) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AccountTagsDocument,
};
const documents: Documents = {
    "\n  query Viewer {\n    viewer {\n      id\n      email\n      role\n    }\n  }\n": types.ViewerDocument,
    "\n  mutation CreateConnection($input: CreateConnectionInput!) {\n    createConnection(input: $input) {\n      id\n      displayName\n      exportUser {\n        email\n      }\n    }\n  }\n": types.CreateConnectionDocument,
    "\n  mutation UpdateConnection($id: ID!, $input: UpdateConnectionInput!) {\n    updateConnection(id: $id, input: $input) {\n      id\n      displayName\n    }\n  }\n": types.UpdateConnectionDocument,
    "\n  query Connections {\n    connections(first: 50) {\n      nodes {\n        id\n        displayName\n        type\n        apiHost\n        apiKeyMasked\n        contributorsCanUse\n        canUse\n        privacyAcceptedAt\n        privacyAcceptedBy {\n          email\n        }\n        exportUser {\n          email\n        }\n      }\n    }\n    exports(first: 50) {\n      nodes {\n        id\n        name\n        connection {\n          id\n        }\n      }\n    }\n  }\n": types.ConnectionsDocument,
    "\n  mutation DeleteConnection($id: ID!) {\n    deleteConnection(id: $id)\n  }\n": types.DeleteConnectionDocument,
    "\n  query ExportChoices {\n    connections(first: 100) {\n      nodes {\n        id\n        displayName\n        canUse\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        memberCount\n      }\n    }\n    profileAttributes\n  }\n": types.ExportChoicesDocument,
    "\n  query AccountFields($connectionId: ID!) {\n    connection(id: $connectionId) {\n      id\n      fields {\n        id\n        title\n        type\n        options\n      }\n    }\n  }\n": types.AccountFieldsDocument,
    "\n  mutation CreateExport($input: CreateExportInput!) {\n    createExport(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateExportDocument,
    "\n  query Exports {\n    exports(first: 40) {\n      nodes {\n        id\n        name\n        listId\n        enabled\n        onLeave\n        tags\n        excludeAutomations\n        connection {\n          id\n          displayName\n          canUse\n        }\n        segments {\n          id\n          name\n          memberCount\n        }\n        mapping {\n          email\n          firstName\n          lastName\n          phone\n          fields {\n            attribute\n            fieldId\n          }\n        }\n        lastRun {\n          id\n          status\n        }\n      }\n    }\n  }\n": types.ExportsDocument,
    "\n  query PreviewExport($id: ID!) {\n    previewExport(id: $id) {\n      totalProfiles\n      adds\n      updates\n      unchanged\n      leavers\n      rejects\n      skipped\n      etaSeconds\n      rejectSamples {\n        customerId\n        reason\n        message\n      }\n    }\n  }\n": types.PreviewExportDocument,
    "\n  mutation RunExport($id: ID!) {\n    runExport(id: $id) {\n      id\n      status\n    }\n  }\n": types.RunExportDocument,
    "\n  mutation DeleteExport($id: ID!) {\n    deleteExport(id: $id)\n  }\n": types.DeleteExportDocument,
    "\n  query ExportRuns($exportId: ID!) {\n    export(id: $exportId) {\n      id\n      name\n      connection {\n        canUse\n      }\n      runs(first: 20) {\n        nodes {\n          id\n          status\n          trigger\n          startedAt\n          finishedAt\n          totalProfiles\n          exportedCount\n          rejectedCount\n          skippedCount\n        }\n      }\n    }\n  }\n": types.ExportRunsDocument,
    "\n  query ExportNames {\n    exports(first: 100) {\n      nodes {\n        id\n        name\n        lastRun {\n          id\n          status\n        }\n      }\n    }\n  }\n": types.ExportNamesDocument,
    "\n  query RunDetails($id: ID!) {\n    exportRun(id: $id) {\n      ...RunFields\n      rejects(first: 50) {\n        totalCount\n        nodes {\n          customerId\n          reason\n          message\n        }\n      }\n    }\n  }\n": types.RunDetailsDocument,
    "\n  fragment RunFields on ExportRun {\n    id\n    status\n    error\n    startedAt\n    finishedAt\n    totalProfiles\n    sentCount\n    addedCount\n    updatedCount\n    unchangedCount\n    exportedCount\n    rejectedCount\n    failedCount\n    skippedCount\n    unconfirmedCount\n    leaverCount\n    unsubscribedCount\n    temporalUrl\n    progress {\n      phase\n      processed\n      total\n      confirmed\n      ratePerSecond\n      etaSeconds\n    }\n  }\n": types.RunFieldsFragmentDoc,
    "\n  subscription RunProgress($id: ID!) {\n    exportRunProgress(id: $id) {\n      ...RunFields\n    }\n  }\n": types.RunProgressDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelExportRun(id: $id) {\n      id\n      status\n    }\n  }\n": types.CancelRunDocument,
    "\n  query RefreshScheduleSettings {\n    refreshSchedule {\n      cron\n      timezone\n      nextRunAt\n      lastRunAt\n      maxConcurrentExports\n    }\n  }\n": types.RefreshScheduleSettingsDocument,
    "\n  mutation UpdateRefreshSchedule($cron: String!, $timezone: String!) {\n    updateRefreshSchedule(cron: $cron, timezone: $timezone) {\n      cron\n      timezone\n      nextRunAt\n    }\n  }\n": types.UpdateRefreshScheduleDocument,
    "\n  query Users {\n    users {\n      id\n      email\n      role\n      canWriteProfiles\n      createdAt\n    }\n  }\n": types.UsersDocument,
    "\n  mutation UpdateUserRole($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n    }\n  }\n": types.UpdateUserRoleDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      token\n      user {\n        id\n        email\n        role\n      }\n    }\n  }\n": types.CreateUserDocument,
    "\n  query AuditLog {\n    auditEvents(first: 50) {\n      totalCount\n      nodes {\n        id\n        action\n        actorEmail\n        subjectType\n        subjectId\n        createdAt\n      }\n    }\n  }\n": types.AuditLogDocument,
    "\n  query AccountLists($connectionId: ID!, $search: String, $after: String) {\n    connection(id: $connectionId) {\n      id\n      lists(search: $search, first: 100, after: $after) {\n        totalCount\n        nodes {\n          id\n          name\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.AccountListsDocument,
    "\n  query AccountTags($connectionId: ID!, $search: String) {\n    connection(id: $connectionId) {\n      id\n      tags(search: $search, first: 20) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AccountTagsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      email\n      role\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      id\n      email\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateConnection($input: CreateConnectionInput!) {\n    createConnection(input: $input) {\n      id\n      displayName\n      exportUser {\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateConnection($input: CreateConnectionInput!) {\n    createConnection(input: $input) {\n      id\n      displayName\n      exportUser {\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateConnection($id: ID!, $input: UpdateConnectionInput!) {\n    updateConnection(id: $id, input: $input) {\n      id\n      displayName\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateConnection($id: ID!, $input: UpdateConnectionInput!) {\n    updateConnection(id: $id, input: $input) {\n      id\n      displayName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Connections {\n    connections(first: 50) {\n      nodes {\n        id\n        displayName\n        type\n        apiHost\n        apiKeyMasked\n        contributorsCanUse\n        canUse\n        privacyAcceptedAt\n        privacyAcceptedBy {\n          email\n        }\n        exportUser {\n          email\n        }\n      }\n    }\n    exports(first: 50) {\n      nodes {\n        id\n        name\n        connection {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Connections {\n    connections(first: 50) {\n      nodes {\n        id\n        displayName\n        type\n        apiHost\n        apiKeyMasked\n        contributorsCanUse\n        canUse\n        privacyAcceptedAt\n        privacyAcceptedBy {\n          email\n        }\n        exportUser {\n          email\n        }\n      }\n    }\n    exports(first: 50) {\n      nodes {\n        id\n        name\n        connection {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteConnection($id: ID!) {\n    deleteConnection(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteConnection($id: ID!) {\n    deleteConnection(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportChoices {\n    connections(first: 100) {\n      nodes {\n        id\n        displayName\n        canUse\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        memberCount\n      }\n    }\n    profileAttributes\n  }\n"): (typeof documents)["\n  query ExportChoices {\n    connections(first: 100) {\n      nodes {\n        id\n        displayName\n        canUse\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        memberCount\n      }\n    }\n    profileAttributes\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountFields($connectionId: ID!) {\n    connection(id: $connectionId) {\n      id\n      fields {\n        id\n        title\n        type\n        options\n      }\n    }\n  }\n"): (typeof documents)["\n  query AccountFields($connectionId: ID!) {\n    connection(id: $connectionId) {\n      id\n      fields {\n        id\n        title\n        type\n        options\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateExport($input: CreateExportInput!) {\n    createExport(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateExport($input: CreateExportInput!) {\n    createExport(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Exports {\n    exports(first: 40) {\n      nodes {\n        id\n        name\n        listId\n        enabled\n        onLeave\n        tags\n        excludeAutomations\n        connection {\n          id\n          displayName\n          canUse\n        }\n        segments {\n          id\n          name\n          memberCount\n        }\n        mapping {\n          email\n          firstName\n          lastName\n          phone\n          fields {\n            attribute\n            fieldId\n          }\n        }\n        lastRun {\n          id\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Exports {\n    exports(first: 40) {\n      nodes {\n        id\n        name\n        listId\n        enabled\n        onLeave\n        tags\n        excludeAutomations\n        connection {\n          id\n          displayName\n          canUse\n        }\n        segments {\n          id\n          name\n          memberCount\n        }\n        mapping {\n          email\n          firstName\n          lastName\n          phone\n          fields {\n            attribute\n            fieldId\n          }\n        }\n        lastRun {\n          id\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewExport($id: ID!) {\n    previewExport(id: $id) {\n      totalProfiles\n      adds\n      updates\n      unchanged\n      leavers\n      rejects\n      skipped\n      etaSeconds\n      rejectSamples {\n        customerId\n        reason\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  query PreviewExport($id: ID!) {\n    previewExport(id: $id) {\n      totalProfiles\n      adds\n      updates\n      unchanged\n      leavers\n      rejects\n      skipped\n      etaSeconds\n      rejectSamples {\n        customerId\n        reason\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunExport($id: ID!) {\n    runExport(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RunExport($id: ID!) {\n    runExport(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteExport($id: ID!) {\n    deleteExport(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteExport($id: ID!) {\n    deleteExport(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportRuns($exportId: ID!) {\n    export(id: $exportId) {\n      id\n      name\n      connection {\n        canUse\n      }\n      runs(first: 20) {\n        nodes {\n          id\n          status\n          trigger\n          startedAt\n          finishedAt\n          totalProfiles\n          exportedCount\n          rejectedCount\n          skippedCount\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExportRuns($exportId: ID!) {\n    export(id: $exportId) {\n      id\n      name\n      connection {\n        canUse\n      }\n      runs(first: 20) {\n        nodes {\n          id\n          status\n          trigger\n          startedAt\n          finishedAt\n          totalProfiles\n          exportedCount\n          rejectedCount\n          skippedCount\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportNames {\n    exports(first: 100) {\n      nodes {\n        id\n        name\n        lastRun {\n          id\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExportNames {\n    exports(first: 100) {\n      nodes {\n        id\n        name\n        lastRun {\n          id\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunDetails($id: ID!) {\n    exportRun(id: $id) {\n      ...RunFields\n      rejects(first: 50) {\n        totalCount\n        nodes {\n          customerId\n          reason\n          message\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunDetails($id: ID!) {\n    exportRun(id: $id) {\n      ...RunFields\n      rejects(first: 50) {\n        totalCount\n        nodes {\n          customerId\n          reason\n          message\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunFields on ExportRun {\n    id\n    status\n    error\n    startedAt\n    finishedAt\n    totalProfiles\n    sentCount\n    addedCount\n    updatedCount\n    unchangedCount\n    exportedCount\n    rejectedCount\n    failedCount\n    skippedCount\n    unconfirmedCount\n    leaverCount\n    unsubscribedCount\n    temporalUrl\n    progress {\n      phase\n      processed\n      total\n      confirmed\n      ratePerSecond\n      etaSeconds\n    }\n  }\n"): (typeof documents)["\n  fragment RunFields on ExportRun {\n    id\n    status\n    error\n    startedAt\n    finishedAt\n    totalProfiles\n    sentCount\n    addedCount\n    updatedCount\n    unchangedCount\n    exportedCount\n    rejectedCount\n    failedCount\n    skippedCount\n    unconfirmedCount\n    leaverCount\n    unsubscribedCount\n    temporalUrl\n    progress {\n      phase\n      processed\n      total\n      confirmed\n      ratePerSecond\n      etaSeconds\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunProgress($id: ID!) {\n    exportRunProgress(id: $id) {\n      ...RunFields\n    }\n  }\n"): (typeof documents)["\n  subscription RunProgress($id: ID!) {\n    exportRunProgress(id: $id) {\n      ...RunFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelRun($id: ID!) {\n    cancelExportRun(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CancelRun($id: ID!) {\n    cancelExportRun(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RefreshScheduleSettings {\n    refreshSchedule {\n      cron\n      timezone\n      nextRunAt\n      lastRunAt\n      maxConcurrentExports\n    }\n  }\n"): (typeof documents)["\n  query RefreshScheduleSettings {\n    refreshSchedule {\n      cron\n      timezone\n      nextRunAt\n      lastRunAt\n      maxConcurrentExports\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRefreshSchedule($cron: String!, $timezone: String!) {\n    updateRefreshSchedule(cron: $cron, timezone: $timezone) {\n      cron\n      timezone\n      nextRunAt\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateRefreshSchedule($cron: String!, $timezone: String!) {\n    updateRefreshSchedule(cron: $cron, timezone: $timezone) {\n      cron\n      timezone\n      nextRunAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users {\n    users {\n      id\n      email\n      role\n      canWriteProfiles\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Users {\n    users {\n      id\n      email\n      role\n      canWriteProfiles\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUserRole($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateUserRole($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      token\n      user {\n        id\n        email\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      token\n      user {\n        id\n        email\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog {\n    auditEvents(first: 50) {\n      totalCount\n      nodes {\n        id\n        action\n        actorEmail\n        subjectType\n        subjectId\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLog {\n    auditEvents(first: 50) {\n      totalCount\n      nodes {\n        id\n        action\n        actorEmail\n        subjectType\n        subjectId\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountLists($connectionId: ID!, $search: String, $after: String) {\n    connection(id: $connectionId) {\n      id\n      lists(search: $search, first: 100, after: $after) {\n        totalCount\n        nodes {\n          id\n          name\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AccountLists($connectionId: ID!, $search: String, $after: String) {\n    connection(id: $connectionId) {\n      id\n      lists(search: $search, first: 100, after: $after) {\n        totalCount\n        nodes {\n          id\n          name\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountTags($connectionId: ID!, $search: String) {\n    connection(id: $connectionId) {\n      id\n      tags(search: $search, first: 20) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AccountTags($connectionId: ID!, $search: String) {\n    connection(id: $connectionId) {\n      id\n      tags(search: $search, first: 20) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;