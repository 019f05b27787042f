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
    "\n  mutation CreateAlertRule($input: CreateAlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateAlertRuleDocument,
    "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n": typeof types.DeleteAlertRuleDocument,
    "\n  query Alerts {\n    notificationChannels {\n      id\n      name\n      kind\n      emailTo\n      urlMasked\n    }\n    alertRules {\n      id\n      event\n      channelId\n      exportId\n      thresholdPercent\n      thresholdMinutes\n    }\n    exports(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n": typeof types.AlertsDocument,
    "\n  mutation CreateNotificationChannel($input: CreateNotificationChannelInput!) {\n    createNotificationChannel(input: $input) {\n      signingSecret\n      channel {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateNotificationChannelDocument,
    "\n  mutation TestNotificationChannel($id: ID!) {\n    testNotificationChannel(id: $id) {\n      id\n      status\n      lastError\n    }\n  }\n": typeof types.TestNotificationChannelDocument,
    "\n  mutation DeleteNotificationChannel($id: ID!) {\n    deleteNotificationChannel(id: $id)\n  }\n": typeof types.DeleteNotificationChannelDocument,
    "\n  query NotificationDeliveries($after: String) {\n    notificationDeliveries(first: 25, after: $after) {\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        createdAt\n        status\n        attempts\n        lastError\n      }\n    }\n  }\n": typeof types.NotificationDeliveriesDocument,
    "\n  query AuditLog($after: String) {\n    auditEvents(first: 50, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        action\n        actorEmail\n        subjectType\n        subjectId\n        createdAt\n      }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  query AuditSubjectNames {\n    connections(first: 100) {\n      nodes {\n        id\n        displayName\n      }\n    }\n    exports(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    users(includeRemoved: true) {\n      id\n      email\n    }\n    sources {\n      id\n      name\n    }\n    notificationChannels {\n      id\n      name\n    }\n  }\n": typeof types.AuditSubjectNamesDocument,
    "\n  mutation CreateConnection($input: CreateConnectionInput!) {\n    createConnection(input: $input) {\n      ...ConnectionFields\n    }\n  }\n": typeof types.CreateConnectionDocument,
    "\n  mutation UpdateConnection($id: ID!, $input: UpdateConnectionInput!) {\n    updateConnection(id: $id, input: $input) {\n      ...ConnectionFields\n    }\n  }\n": typeof types.UpdateConnectionDocument,
    "\n  fragment ConnectionFields on Connection {\n    id\n    displayName\n    type\n    apiHost\n    apiKeyMasked\n    contributorsCanUse\n    canUse\n    privacyAcceptedAt\n    privacyAcceptedBy {\n      email\n    }\n    exportUser {\n      email\n    }\n  }\n": typeof types.ConnectionFieldsFragmentDoc,
    "\n  query Connections($after: String) {\n    connections(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        ...ConnectionFields\n      }\n    }\n    exports(first: 50) {\n      nodes {\n        id\n        name\n        connection {\n          id\n        }\n      }\n    }\n  }\n": typeof types.ConnectionsDocument,
    "\n  mutation DeleteConnection($id: ID!) {\n    deleteConnection(id: $id)\n  }\n": typeof types.DeleteConnectionDocument,
    "\n  query ExportChoices {\n    connections(first: 100) {\n      nodes {\n        id\n        displayName\n        canUse\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        memberCount\n      }\n    }\n    profileAttributes\n  }\n": typeof types.ExportChoicesDocument,
    "\n  mutation CreateExport($input: CreateExportInput!) {\n    createExport(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateExportDocument,
    "\n  mutation UpdateExport($id: ID!, $input: UpdateExportInput!) {\n    updateExport(id: $id, input: $input) {\n      id\n      name\n      enabled\n    }\n  }\n": typeof types.UpdateExportDocument,
    "\n  query Exports($after: String) {\n    exports(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        name\n        listId\n        enabled\n        canEdit\n        onLeave\n        tags\n        excludeAutomations\n        resultsTargetId\n        connection {\n          id\n          displayName\n          canUse\n          removed\n        }\n        segments {\n          id\n          name\n          memberCount\n        }\n        mapping {\n          email\n          firstName\n          lastName\n          phone\n          fields {\n            attribute\n            fieldId\n          }\n        }\n        lastRun {\n          id\n          status\n          error\n        }\n      }\n    }\n  }\n": typeof types.ExportsDocument,
    "\n  query PreviewExport($id: ID!) {\n    previewExport(id: $id) {\n      totalProfiles\n      adds\n      updates\n      unchanged\n      leavers\n      rejects\n      skipped\n      etaSeconds\n      rejectSamples {\n        customerId\n        reason\n        message\n        field\n        value\n      }\n    }\n  }\n": typeof types.PreviewExportDocument,
    "\n  mutation RunExport($id: ID!) {\n    runExport(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.RunExportDocument,
    "\n  mutation DeleteExport($id: ID!) {\n    deleteExport(id: $id)\n  }\n": typeof types.DeleteExportDocument,
    "\n  query AccountFields($connectionId: ID!) {\n    connection(id: $connectionId) {\n      id\n      fields {\n        id\n        title\n        type\n        options\n      }\n    }\n  }\n": typeof types.AccountFieldsDocument,
    "\n  query ExportListNames($connectionId: ID!) {\n    connection(id: $connectionId) {\n      id\n      lists(first: 100) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ExportListNamesDocument,
    "\n  query AccountLists($connectionId: ID!, $search: String, $after: String) {\n    connection(id: $connectionId) {\n      id\n      lists(search: $search, first: 100, after: $after) {\n        totalCount\n        nodes {\n          id\n          name\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.AccountListsDocument,
    "\n  query AccountTags($connectionId: ID!, $search: String) {\n    connection(id: $connectionId) {\n      id\n      tags(search: $search, first: 20) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.AccountTagsDocument,
    "\n  mutation ImportProfiles($input: ImportProfilesInput!) {\n    importProfiles(input: $input) {\n      imported\n      badRowCount\n      badRows {\n        line\n        reason\n      }\n    }\n  }\n": typeof types.ImportProfilesDocument,
    "\n  query ProfileAttributes {\n    profileAttributes\n  }\n": typeof types.ProfileAttributesDocument,
    "\n  mutation CreateResultsTarget($input: CreateResultsTargetInput!) {\n    createResultsTarget(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateResultsTargetDocument,
    "\n  mutation UpdateResultsTarget($id: ID!, $input: UpdateResultsTargetInput!) {\n    updateResultsTarget(id: $id, input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.UpdateResultsTargetDocument,
    "\n  query ResultsTargetChoices {\n    resultsTargets(first: 100) {\n      nodes {\n        id\n        name\n        schema\n      }\n    }\n  }\n": typeof types.ResultsTargetChoicesDocument,
    "\n  query ResultsTargets($after: String) {\n    resultsTargets(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        name\n        schema\n        databaseUrlMasked\n        lastWrittenAt\n      }\n    }\n  }\n": typeof types.ResultsTargetsDocument,
    "\n  mutation DeleteResultsTarget($id: ID!) {\n    deleteResultsTarget(id: $id)\n  }\n": typeof types.DeleteResultsTargetDocument,
    "\n  fragment RunRowFields on ExportRun {\n    id\n    exportId\n    status\n    trigger\n    startedAt\n    totalProfiles\n    exportedCount\n    rejectedCount\n    skippedCount\n    resultsWriteError\n  }\n": typeof types.RunRowFieldsFragmentDoc,
    "\n  query ExportRuns($exportId: ID!, $after: String) {\n    export(id: $exportId) {\n      id\n      name\n      runs(first: 20, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...RunRowFields\n        }\n      }\n    }\n  }\n": typeof types.ExportRunsDocument,
    "\n  query AllRuns($after: String, $status: RunStatus) {\n    exportRuns(first: 20, after: $after, status: $status) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...RunRowFields\n        exportName\n      }\n    }\n  }\n": typeof types.AllRunsDocument,
    "\n  query ExportNames {\n    exports(first: 100) {\n      nodes {\n        id\n        name\n        lastRun {\n          id\n          status\n        }\n      }\n    }\n  }\n": typeof types.ExportNamesDocument,
    "\n  query RunDetails($id: ID!, $after: String) {\n    exportRun(id: $id) {\n      ...RunFields\n      rejects(first: 50, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          customerId\n          email\n          outcome\n          reason\n          field\n          value\n          activeCampaignReason\n          message\n        }\n      }\n    }\n  }\n": typeof types.RunDetailsDocument,
    "\n  fragment RunFields on ExportRun {\n    id\n    exportName\n    status\n    trigger\n    error\n    resultsWriteError\n    startedAt\n    finishedAt\n    totalProfiles\n    sentCount\n    addedCount\n    updatedCount\n    unchangedCount\n    exportedCount\n    rejectedCount\n    failedCount\n    skippedCount\n    unconfirmedCount\n    leaverCount\n    unsubscribedCount\n    temporalUrl\n    progress {\n      phase\n      processed\n      total\n      confirmed\n      ratePerSecond\n      etaSeconds\n    }\n  }\n": typeof types.RunFieldsFragmentDoc,
    "\n  subscription RunProgress($id: ID!) {\n    exportRunProgress(id: $id) {\n      ...RunFields\n    }\n  }\n": typeof types.RunProgressDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelExportRun(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.CancelRunDocument,
    "\n  mutation TriggerRefresh {\n    triggerRefresh\n  }\n": typeof types.TriggerRefreshDocument,
    "\n  query PreviewSegment($rule: JSON!) {\n    previewSegment(rule: $rule) {\n      memberCount\n    }\n  }\n": typeof types.PreviewSegmentDocument,
    "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) {\n      ...SegmentFields\n    }\n  }\n": typeof types.CreateSegmentDocument,
    "\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) {\n      ...SegmentFields\n    }\n  }\n": typeof types.UpdateSegmentDocument,
    "\n  fragment SegmentFields on Segment {\n    id\n    name\n    rule\n    isStatic\n    memberCount\n    refreshedAt\n  }\n": typeof types.SegmentFieldsFragmentDoc,
    "\n  query Segments($after: String) {\n    segments(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        ...SegmentFields\n      }\n    }\n  }\n": typeof types.SegmentsDocument,
    "\n  mutation RefreshSegment($id: ID!) {\n    refreshSegment(id: $id) {\n      ...SegmentFields\n    }\n  }\n": typeof types.RefreshSegmentDocument,
    "\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id)\n  }\n": typeof types.DeleteSegmentDocument,
    "\n  query RefreshScheduleSettings {\n    refreshSchedule {\n      cron\n      timezone\n      nextRunAt\n      lastRunAt\n      maxConcurrentExports\n    }\n  }\n": typeof types.RefreshScheduleSettingsDocument,
    "\n  mutation UpdateRefreshSchedule($cron: String!, $timezone: String!) {\n    updateRefreshSchedule(cron: $cron, timezone: $timezone) {\n      cron\n      timezone\n      nextRunAt\n    }\n  }\n": typeof types.UpdateRefreshScheduleDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      email\n      role\n      canWriteProfiles\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation CreateSource($input: CreateSourceInput!) {\n    createSource(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateSourceDocument,
    "\n  mutation UpdateSource($id: ID!, $input: UpdateSourceInput!) {\n    updateSource(id: $id, input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.UpdateSourceDocument,
    "\n  query Sources {\n    sources {\n      id\n      name\n      databaseUrlMasked\n      table\n      query\n      enabled\n      changeQuery\n      changeCheckSeconds\n      lastSync {\n        ...SyncCounts\n        startedAt\n        finishedAt\n      }\n    }\n  }\n": typeof types.SourcesDocument,
    "\n  fragment SyncCounts on SourceSync {\n    id\n    status\n    read\n    added\n    updated\n    removed\n    rejected\n    error\n  }\n": typeof types.SyncCountsFragmentDoc,
    "\n  mutation SyncSource($id: ID!) {\n    syncSource(id: $id) {\n      ...SyncCounts\n    }\n  }\n": typeof types.SyncSourceDocument,
    "\n  mutation DeleteSource($id: ID!) {\n    deleteSource(id: $id)\n  }\n": typeof types.DeleteSourceDocument,
    "\n  fragment PageCursor on PageInfo {\n    hasNextPage\n    endCursor\n  }\n": typeof types.PageCursorFragmentDoc,
    "\n  mutation CreateToken($input: CreateTokenInput!) {\n    createToken(input: $input) {\n      token\n    }\n  }\n": typeof types.CreateTokenDocument,
    "\n  mutation RevokeToken($id: ID!) {\n    revokeToken(id: $id) {\n      id\n    }\n  }\n": typeof types.RevokeTokenDocument,
    "\n  query Users {\n    users {\n      id\n      email\n      role\n      canWriteProfiles\n      createdAt\n      tokens {\n        id\n        name\n        masked\n        createdAt\n        expiresAt\n        lastUsedAt\n      }\n    }\n  }\n": typeof types.UsersDocument,
    "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n      canWriteProfiles\n    }\n  }\n": typeof types.UpdateUserDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      token\n      user {\n        id\n        email\n        role\n      }\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation RemoveUser($id: ID!) {\n    removeUser(id: $id) {\n      user {\n        id\n        email\n      }\n      reassignedConnections {\n        id\n        displayName\n      }\n    }\n  }\n": typeof types.RemoveUserDocument,
};
const documents: Documents = {
    "\n  mutation CreateAlertRule($input: CreateAlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n": types.CreateAlertRuleDocument,
    "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n": types.DeleteAlertRuleDocument,
    "\n  query Alerts {\n    notificationChannels {\n      id\n      name\n      kind\n      emailTo\n      urlMasked\n    }\n    alertRules {\n      id\n      event\n      channelId\n      exportId\n      thresholdPercent\n      thresholdMinutes\n    }\n    exports(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n": types.AlertsDocument,
    "\n  mutation CreateNotificationChannel($input: CreateNotificationChannelInput!) {\n    createNotificationChannel(input: $input) {\n      signingSecret\n      channel {\n        id\n        name\n      }\n    }\n  }\n": types.CreateNotificationChannelDocument,
    "\n  mutation TestNotificationChannel($id: ID!) {\n    testNotificationChannel(id: $id) {\n      id\n      status\n      lastError\n    }\n  }\n": types.TestNotificationChannelDocument,
    "\n  mutation DeleteNotificationChannel($id: ID!) {\n    deleteNotificationChannel(id: $id)\n  }\n": types.DeleteNotificationChannelDocument,
    "\n  query NotificationDeliveries($after: String) {\n    notificationDeliveries(first: 25, after: $after) {\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        createdAt\n        status\n        attempts\n        lastError\n      }\n    }\n  }\n": types.NotificationDeliveriesDocument,
    "\n  query AuditLog($after: String) {\n    auditEvents(first: 50, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        action\n        actorEmail\n        subjectType\n        subjectId\n        createdAt\n      }\n    }\n  }\n": types.AuditLogDocument,
    "\n  query AuditSubjectNames {\n    connections(first: 100) {\n      nodes {\n        id\n        displayName\n      }\n    }\n    exports(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    users(includeRemoved: true) {\n      id\n      email\n    }\n    sources {\n      id\n      name\n    }\n    notificationChannels {\n      id\n      name\n    }\n  }\n": types.AuditSubjectNamesDocument,
    "\n  mutation CreateConnection($input: CreateConnectionInput!) {\n    createConnection(input: $input) {\n      ...ConnectionFields\n    }\n  }\n": types.CreateConnectionDocument,
    "\n  mutation UpdateConnection($id: ID!, $input: UpdateConnectionInput!) {\n    updateConnection(id: $id, input: $input) {\n      ...ConnectionFields\n    }\n  }\n": types.UpdateConnectionDocument,
    "\n  fragment ConnectionFields on Connection {\n    id\n    displayName\n    type\n    apiHost\n    apiKeyMasked\n    contributorsCanUse\n    canUse\n    privacyAcceptedAt\n    privacyAcceptedBy {\n      email\n    }\n    exportUser {\n      email\n    }\n  }\n": types.ConnectionFieldsFragmentDoc,
    "\n  query Connections($after: String) {\n    connections(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        ...ConnectionFields\n      }\n    }\n    exports(first: 50) {\n      nodes {\n        id\n        name\n        connection {\n          id\n        }\n      }\n    }\n  }\n": types.ConnectionsDocument,
    "\n  mutation DeleteConnection($id: ID!) {\n    deleteConnection(id: $id)\n  }\n": types.DeleteConnectionDocument,
    "\n  query ExportChoices {\n    connections(first: 100) {\n      nodes {\n        id\n        displayName\n        canUse\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        memberCount\n      }\n    }\n    profileAttributes\n  }\n": types.ExportChoicesDocument,
    "\n  mutation CreateExport($input: CreateExportInput!) {\n    createExport(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateExportDocument,
    "\n  mutation UpdateExport($id: ID!, $input: UpdateExportInput!) {\n    updateExport(id: $id, input: $input) {\n      id\n      name\n      enabled\n    }\n  }\n": types.UpdateExportDocument,
    "\n  query Exports($after: String) {\n    exports(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        name\n        listId\n        enabled\n        canEdit\n        onLeave\n        tags\n        excludeAutomations\n        resultsTargetId\n        connection {\n          id\n          displayName\n          canUse\n          removed\n        }\n        segments {\n          id\n          name\n          memberCount\n        }\n        mapping {\n          email\n          firstName\n          lastName\n          phone\n          fields {\n            attribute\n            fieldId\n          }\n        }\n        lastRun {\n          id\n          status\n          error\n        }\n      }\n    }\n  }\n": types.ExportsDocument,
    "\n  query PreviewExport($id: ID!) {\n    previewExport(id: $id) {\n      totalProfiles\n      adds\n      updates\n      unchanged\n      leavers\n      rejects\n      skipped\n      etaSeconds\n      rejectSamples {\n        customerId\n        reason\n        message\n        field\n        value\n      }\n    }\n  }\n": types.PreviewExportDocument,
    "\n  mutation RunExport($id: ID!) {\n    runExport(id: $id) {\n      id\n      status\n    }\n  }\n": types.RunExportDocument,
    "\n  mutation DeleteExport($id: ID!) {\n    deleteExport(id: $id)\n  }\n": types.DeleteExportDocument,
    "\n  query AccountFields($connectionId: ID!) {\n    connection(id: $connectionId) {\n      id\n      fields {\n        id\n        title\n        type\n        options\n      }\n    }\n  }\n": types.AccountFieldsDocument,
    "\n  query ExportListNames($connectionId: ID!) {\n    connection(id: $connectionId) {\n      id\n      lists(first: 100) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ExportListNamesDocument,
    "\n  query AccountLists($connectionId: ID!, $search: String, $after: String) {\n    connection(id: $connectionId) {\n      id\n      lists(search: $search, first: 100, after: $after) {\n        totalCount\n        nodes {\n          id\n          name\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.AccountListsDocument,
    "\n  query AccountTags($connectionId: ID!, $search: String) {\n    connection(id: $connectionId) {\n      id\n      tags(search: $search, first: 20) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.AccountTagsDocument,
    "\n  mutation ImportProfiles($input: ImportProfilesInput!) {\n    importProfiles(input: $input) {\n      imported\n      badRowCount\n      badRows {\n        line\n        reason\n      }\n    }\n  }\n": types.ImportProfilesDocument,
    "\n  query ProfileAttributes {\n    profileAttributes\n  }\n": types.ProfileAttributesDocument,
    "\n  mutation CreateResultsTarget($input: CreateResultsTargetInput!) {\n    createResultsTarget(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateResultsTargetDocument,
    "\n  mutation UpdateResultsTarget($id: ID!, $input: UpdateResultsTargetInput!) {\n    updateResultsTarget(id: $id, input: $input) {\n      id\n      name\n    }\n  }\n": types.UpdateResultsTargetDocument,
    "\n  query ResultsTargetChoices {\n    resultsTargets(first: 100) {\n      nodes {\n        id\n        name\n        schema\n      }\n    }\n  }\n": types.ResultsTargetChoicesDocument,
    "\n  query ResultsTargets($after: String) {\n    resultsTargets(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        name\n        schema\n        databaseUrlMasked\n        lastWrittenAt\n      }\n    }\n  }\n": types.ResultsTargetsDocument,
    "\n  mutation DeleteResultsTarget($id: ID!) {\n    deleteResultsTarget(id: $id)\n  }\n": types.DeleteResultsTargetDocument,
    "\n  fragment RunRowFields on ExportRun {\n    id\n    exportId\n    status\n    trigger\n    startedAt\n    totalProfiles\n    exportedCount\n    rejectedCount\n    skippedCount\n    resultsWriteError\n  }\n": types.RunRowFieldsFragmentDoc,
    "\n  query ExportRuns($exportId: ID!, $after: String) {\n    export(id: $exportId) {\n      id\n      name\n      runs(first: 20, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...RunRowFields\n        }\n      }\n    }\n  }\n": types.ExportRunsDocument,
    "\n  query AllRuns($after: String, $status: RunStatus) {\n    exportRuns(first: 20, after: $after, status: $status) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...RunRowFields\n        exportName\n      }\n    }\n  }\n": types.AllRunsDocument,
    "\n  query ExportNames {\n    exports(first: 100) {\n      nodes {\n        id\n        name\n        lastRun {\n          id\n          status\n        }\n      }\n    }\n  }\n": types.ExportNamesDocument,
    "\n  query RunDetails($id: ID!, $after: String) {\n    exportRun(id: $id) {\n      ...RunFields\n      rejects(first: 50, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          customerId\n          email\n          outcome\n          reason\n          field\n          value\n          activeCampaignReason\n          message\n        }\n      }\n    }\n  }\n": types.RunDetailsDocument,
    "\n  fragment RunFields on ExportRun {\n    id\n    exportName\n    status\n    trigger\n    error\n    resultsWriteError\n    startedAt\n    finishedAt\n    totalProfiles\n    sentCount\n    addedCount\n    updatedCount\n    unchangedCount\n    exportedCount\n    rejectedCount\n    failedCount\n    skippedCount\n    unconfirmedCount\n    leaverCount\n    unsubscribedCount\n    temporalUrl\n    progress {\n      phase\n      processed\n      total\n      confirmed\n      ratePerSecond\n      etaSeconds\n    }\n  }\n": types.RunFieldsFragmentDoc,
    "\n  subscription RunProgress($id: ID!) {\n    exportRunProgress(id: $id) {\n      ...RunFields\n    }\n  }\n": types.RunProgressDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelExportRun(id: $id) {\n      id\n      status\n    }\n  }\n": types.CancelRunDocument,
    "\n  mutation TriggerRefresh {\n    triggerRefresh\n  }\n": types.TriggerRefreshDocument,
    "\n  query PreviewSegment($rule: JSON!) {\n    previewSegment(rule: $rule) {\n      memberCount\n    }\n  }\n": types.PreviewSegmentDocument,
    "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) {\n      ...SegmentFields\n    }\n  }\n": types.CreateSegmentDocument,
    "\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) {\n      ...SegmentFields\n    }\n  }\n": types.UpdateSegmentDocument,
    "\n  fragment SegmentFields on Segment {\n    id\n    name\n    rule\n    isStatic\n    memberCount\n    refreshedAt\n  }\n": types.SegmentFieldsFragmentDoc,
    "\n  query Segments($after: String) {\n    segments(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        ...SegmentFields\n      }\n    }\n  }\n": types.SegmentsDocument,
    "\n  mutation RefreshSegment($id: ID!) {\n    refreshSegment(id: $id) {\n      ...SegmentFields\n    }\n  }\n": types.RefreshSegmentDocument,
    "\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id)\n  }\n": types.DeleteSegmentDocument,
    "\n  query RefreshScheduleSettings {\n    refreshSchedule {\n      cron\n      timezone\n      nextRunAt\n      lastRunAt\n      maxConcurrentExports\n    }\n  }\n": types.RefreshScheduleSettingsDocument,
    "\n  mutation UpdateRefreshSchedule($cron: String!, $timezone: String!) {\n    updateRefreshSchedule(cron: $cron, timezone: $timezone) {\n      cron\n      timezone\n      nextRunAt\n    }\n  }\n": types.UpdateRefreshScheduleDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      email\n      role\n      canWriteProfiles\n    }\n  }\n": types.ViewerDocument,
    "\n  mutation CreateSource($input: CreateSourceInput!) {\n    createSource(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateSourceDocument,
    "\n  mutation UpdateSource($id: ID!, $input: UpdateSourceInput!) {\n    updateSource(id: $id, input: $input) {\n      id\n      name\n    }\n  }\n": types.UpdateSourceDocument,
    "\n  query Sources {\n    sources {\n      id\n      name\n      databaseUrlMasked\n      table\n      query\n      enabled\n      changeQuery\n      changeCheckSeconds\n      lastSync {\n        ...SyncCounts\n        startedAt\n        finishedAt\n      }\n    }\n  }\n": types.SourcesDocument,
    "\n  fragment SyncCounts on SourceSync {\n    id\n    status\n    read\n    added\n    updated\n    removed\n    rejected\n    error\n  }\n": types.SyncCountsFragmentDoc,
    "\n  mutation SyncSource($id: ID!) {\n    syncSource(id: $id) {\n      ...SyncCounts\n    }\n  }\n": types.SyncSourceDocument,
    "\n  mutation DeleteSource($id: ID!) {\n    deleteSource(id: $id)\n  }\n": types.DeleteSourceDocument,
    "\n  fragment PageCursor on PageInfo {\n    hasNextPage\n    endCursor\n  }\n": types.PageCursorFragmentDoc,
    "\n  mutation CreateToken($input: CreateTokenInput!) {\n    createToken(input: $input) {\n      token\n    }\n  }\n": types.CreateTokenDocument,
    "\n  mutation RevokeToken($id: ID!) {\n    revokeToken(id: $id) {\n      id\n    }\n  }\n": types.RevokeTokenDocument,
    "\n  query Users {\n    users {\n      id\n      email\n      role\n      canWriteProfiles\n      createdAt\n      tokens {\n        id\n        name\n        masked\n        createdAt\n        expiresAt\n        lastUsedAt\n      }\n    }\n  }\n": types.UsersDocument,
    "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n      canWriteProfiles\n    }\n  }\n": types.UpdateUserDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      token\n      user {\n        id\n        email\n        role\n      }\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation RemoveUser($id: ID!) {\n    removeUser(id: $id) {\n      user {\n        id\n        email\n      }\n      reassignedConnections {\n        id\n        displayName\n      }\n    }\n  }\n": types.RemoveUserDocument,
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
export function graphql(source: "\n  mutation CreateAlertRule($input: CreateAlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAlertRule($input: CreateAlertRuleInput!) {\n    createAlertRule(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteAlertRule($id: ID!) {\n    deleteAlertRule(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Alerts {\n    notificationChannels {\n      id\n      name\n      kind\n      emailTo\n      urlMasked\n    }\n    alertRules {\n      id\n      event\n      channelId\n      exportId\n      thresholdPercent\n      thresholdMinutes\n    }\n    exports(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query Alerts {\n    notificationChannels {\n      id\n      name\n      kind\n      emailTo\n      urlMasked\n    }\n    alertRules {\n      id\n      event\n      channelId\n      exportId\n      thresholdPercent\n      thresholdMinutes\n    }\n    exports(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateNotificationChannel($input: CreateNotificationChannelInput!) {\n    createNotificationChannel(input: $input) {\n      signingSecret\n      channel {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateNotificationChannel($input: CreateNotificationChannelInput!) {\n    createNotificationChannel(input: $input) {\n      signingSecret\n      channel {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestNotificationChannel($id: ID!) {\n    testNotificationChannel(id: $id) {\n      id\n      status\n      lastError\n    }\n  }\n"): (typeof documents)["\n  mutation TestNotificationChannel($id: ID!) {\n    testNotificationChannel(id: $id) {\n      id\n      status\n      lastError\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteNotificationChannel($id: ID!) {\n    deleteNotificationChannel(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteNotificationChannel($id: ID!) {\n    deleteNotificationChannel(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NotificationDeliveries($after: String) {\n    notificationDeliveries(first: 25, after: $after) {\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        createdAt\n        status\n        attempts\n        lastError\n      }\n    }\n  }\n"): (typeof documents)["\n  query NotificationDeliveries($after: String) {\n    notificationDeliveries(first: 25, after: $after) {\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        createdAt\n        status\n        attempts\n        lastError\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($after: String) {\n    auditEvents(first: 50, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        action\n        actorEmail\n        subjectType\n        subjectId\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLog($after: String) {\n    auditEvents(first: 50, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        action\n        actorEmail\n        subjectType\n        subjectId\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditSubjectNames {\n    connections(first: 100) {\n      nodes {\n        id\n        displayName\n      }\n    }\n    exports(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    users(includeRemoved: true) {\n      id\n      email\n    }\n    sources {\n      id\n      name\n    }\n    notificationChannels {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query AuditSubjectNames {\n    connections(first: 100) {\n      nodes {\n        id\n        displayName\n      }\n    }\n    exports(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    users(includeRemoved: true) {\n      id\n      email\n    }\n    sources {\n      id\n      name\n    }\n    notificationChannels {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateConnection($input: CreateConnectionInput!) {\n    createConnection(input: $input) {\n      ...ConnectionFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateConnection($input: CreateConnectionInput!) {\n    createConnection(input: $input) {\n      ...ConnectionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateConnection($id: ID!, $input: UpdateConnectionInput!) {\n    updateConnection(id: $id, input: $input) {\n      ...ConnectionFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateConnection($id: ID!, $input: UpdateConnectionInput!) {\n    updateConnection(id: $id, input: $input) {\n      ...ConnectionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConnectionFields on Connection {\n    id\n    displayName\n    type\n    apiHost\n    apiKeyMasked\n    contributorsCanUse\n    canUse\n    privacyAcceptedAt\n    privacyAcceptedBy {\n      email\n    }\n    exportUser {\n      email\n    }\n  }\n"): (typeof documents)["\n  fragment ConnectionFields on Connection {\n    id\n    displayName\n    type\n    apiHost\n    apiKeyMasked\n    contributorsCanUse\n    canUse\n    privacyAcceptedAt\n    privacyAcceptedBy {\n      email\n    }\n    exportUser {\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Connections($after: String) {\n    connections(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        ...ConnectionFields\n      }\n    }\n    exports(first: 50) {\n      nodes {\n        id\n        name\n        connection {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Connections($after: String) {\n    connections(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        ...ConnectionFields\n      }\n    }\n    exports(first: 50) {\n      nodes {\n        id\n        name\n        connection {\n          id\n        }\n      }\n    }\n  }\n"];
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
export function graphql(source: "\n  mutation CreateExport($input: CreateExportInput!) {\n    createExport(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateExport($input: CreateExportInput!) {\n    createExport(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateExport($id: ID!, $input: UpdateExportInput!) {\n    updateExport(id: $id, input: $input) {\n      id\n      name\n      enabled\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateExport($id: ID!, $input: UpdateExportInput!) {\n    updateExport(id: $id, input: $input) {\n      id\n      name\n      enabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Exports($after: String) {\n    exports(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        name\n        listId\n        enabled\n        canEdit\n        onLeave\n        tags\n        excludeAutomations\n        resultsTargetId\n        connection {\n          id\n          displayName\n          canUse\n          removed\n        }\n        segments {\n          id\n          name\n          memberCount\n        }\n        mapping {\n          email\n          firstName\n          lastName\n          phone\n          fields {\n            attribute\n            fieldId\n          }\n        }\n        lastRun {\n          id\n          status\n          error\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Exports($after: String) {\n    exports(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        name\n        listId\n        enabled\n        canEdit\n        onLeave\n        tags\n        excludeAutomations\n        resultsTargetId\n        connection {\n          id\n          displayName\n          canUse\n          removed\n        }\n        segments {\n          id\n          name\n          memberCount\n        }\n        mapping {\n          email\n          firstName\n          lastName\n          phone\n          fields {\n            attribute\n            fieldId\n          }\n        }\n        lastRun {\n          id\n          status\n          error\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewExport($id: ID!) {\n    previewExport(id: $id) {\n      totalProfiles\n      adds\n      updates\n      unchanged\n      leavers\n      rejects\n      skipped\n      etaSeconds\n      rejectSamples {\n        customerId\n        reason\n        message\n        field\n        value\n      }\n    }\n  }\n"): (typeof documents)["\n  query PreviewExport($id: ID!) {\n    previewExport(id: $id) {\n      totalProfiles\n      adds\n      updates\n      unchanged\n      leavers\n      rejects\n      skipped\n      etaSeconds\n      rejectSamples {\n        customerId\n        reason\n        message\n        field\n        value\n      }\n    }\n  }\n"];
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
export function graphql(source: "\n  query AccountFields($connectionId: ID!) {\n    connection(id: $connectionId) {\n      id\n      fields {\n        id\n        title\n        type\n        options\n      }\n    }\n  }\n"): (typeof documents)["\n  query AccountFields($connectionId: ID!) {\n    connection(id: $connectionId) {\n      id\n      fields {\n        id\n        title\n        type\n        options\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportListNames($connectionId: ID!) {\n    connection(id: $connectionId) {\n      id\n      lists(first: 100) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExportListNames($connectionId: ID!) {\n    connection(id: $connectionId) {\n      id\n      lists(first: 100) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountLists($connectionId: ID!, $search: String, $after: String) {\n    connection(id: $connectionId) {\n      id\n      lists(search: $search, first: 100, after: $after) {\n        totalCount\n        nodes {\n          id\n          name\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AccountLists($connectionId: ID!, $search: String, $after: String) {\n    connection(id: $connectionId) {\n      id\n      lists(search: $search, first: 100, after: $after) {\n        totalCount\n        nodes {\n          id\n          name\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AccountTags($connectionId: ID!, $search: String) {\n    connection(id: $connectionId) {\n      id\n      tags(search: $search, first: 20) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AccountTags($connectionId: ID!, $search: String) {\n    connection(id: $connectionId) {\n      id\n      tags(search: $search, first: 20) {\n        nodes {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportProfiles($input: ImportProfilesInput!) {\n    importProfiles(input: $input) {\n      imported\n      badRowCount\n      badRows {\n        line\n        reason\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ImportProfiles($input: ImportProfilesInput!) {\n    importProfiles(input: $input) {\n      imported\n      badRowCount\n      badRows {\n        line\n        reason\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProfileAttributes {\n    profileAttributes\n  }\n"): (typeof documents)["\n  query ProfileAttributes {\n    profileAttributes\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateResultsTarget($input: CreateResultsTargetInput!) {\n    createResultsTarget(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateResultsTarget($input: CreateResultsTargetInput!) {\n    createResultsTarget(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateResultsTarget($id: ID!, $input: UpdateResultsTargetInput!) {\n    updateResultsTarget(id: $id, input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateResultsTarget($id: ID!, $input: UpdateResultsTargetInput!) {\n    updateResultsTarget(id: $id, input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ResultsTargetChoices {\n    resultsTargets(first: 100) {\n      nodes {\n        id\n        name\n        schema\n      }\n    }\n  }\n"): (typeof documents)["\n  query ResultsTargetChoices {\n    resultsTargets(first: 100) {\n      nodes {\n        id\n        name\n        schema\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ResultsTargets($after: String) {\n    resultsTargets(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        name\n        schema\n        databaseUrlMasked\n        lastWrittenAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query ResultsTargets($after: String) {\n    resultsTargets(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        id\n        name\n        schema\n        databaseUrlMasked\n        lastWrittenAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteResultsTarget($id: ID!) {\n    deleteResultsTarget(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteResultsTarget($id: ID!) {\n    deleteResultsTarget(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunRowFields on ExportRun {\n    id\n    exportId\n    status\n    trigger\n    startedAt\n    totalProfiles\n    exportedCount\n    rejectedCount\n    skippedCount\n    resultsWriteError\n  }\n"): (typeof documents)["\n  fragment RunRowFields on ExportRun {\n    id\n    exportId\n    status\n    trigger\n    startedAt\n    totalProfiles\n    exportedCount\n    rejectedCount\n    skippedCount\n    resultsWriteError\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportRuns($exportId: ID!, $after: String) {\n    export(id: $exportId) {\n      id\n      name\n      runs(first: 20, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...RunRowFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExportRuns($exportId: ID!, $after: String) {\n    export(id: $exportId) {\n      id\n      name\n      runs(first: 20, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...RunRowFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AllRuns($after: String, $status: RunStatus) {\n    exportRuns(first: 20, after: $after, status: $status) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...RunRowFields\n        exportName\n      }\n    }\n  }\n"): (typeof documents)["\n  query AllRuns($after: String, $status: RunStatus) {\n    exportRuns(first: 20, after: $after, status: $status) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...RunRowFields\n        exportName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportNames {\n    exports(first: 100) {\n      nodes {\n        id\n        name\n        lastRun {\n          id\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExportNames {\n    exports(first: 100) {\n      nodes {\n        id\n        name\n        lastRun {\n          id\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunDetails($id: ID!, $after: String) {\n    exportRun(id: $id) {\n      ...RunFields\n      rejects(first: 50, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          customerId\n          email\n          outcome\n          reason\n          field\n          value\n          activeCampaignReason\n          message\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunDetails($id: ID!, $after: String) {\n    exportRun(id: $id) {\n      ...RunFields\n      rejects(first: 50, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          customerId\n          email\n          outcome\n          reason\n          field\n          value\n          activeCampaignReason\n          message\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunFields on ExportRun {\n    id\n    exportName\n    status\n    trigger\n    error\n    resultsWriteError\n    startedAt\n    finishedAt\n    totalProfiles\n    sentCount\n    addedCount\n    updatedCount\n    unchangedCount\n    exportedCount\n    rejectedCount\n    failedCount\n    skippedCount\n    unconfirmedCount\n    leaverCount\n    unsubscribedCount\n    temporalUrl\n    progress {\n      phase\n      processed\n      total\n      confirmed\n      ratePerSecond\n      etaSeconds\n    }\n  }\n"): (typeof documents)["\n  fragment RunFields on ExportRun {\n    id\n    exportName\n    status\n    trigger\n    error\n    resultsWriteError\n    startedAt\n    finishedAt\n    totalProfiles\n    sentCount\n    addedCount\n    updatedCount\n    unchangedCount\n    exportedCount\n    rejectedCount\n    failedCount\n    skippedCount\n    unconfirmedCount\n    leaverCount\n    unsubscribedCount\n    temporalUrl\n    progress {\n      phase\n      processed\n      total\n      confirmed\n      ratePerSecond\n      etaSeconds\n    }\n  }\n"];
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
export function graphql(source: "\n  mutation TriggerRefresh {\n    triggerRefresh\n  }\n"): (typeof documents)["\n  mutation TriggerRefresh {\n    triggerRefresh\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewSegment($rule: JSON!) {\n    previewSegment(rule: $rule) {\n      memberCount\n    }\n  }\n"): (typeof documents)["\n  query PreviewSegment($rule: JSON!) {\n    previewSegment(rule: $rule) {\n      memberCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) {\n      ...SegmentFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) {\n      ...SegmentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) {\n      ...SegmentFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {\n    updateSegment(id: $id, input: $input) {\n      ...SegmentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SegmentFields on Segment {\n    id\n    name\n    rule\n    isStatic\n    memberCount\n    refreshedAt\n  }\n"): (typeof documents)["\n  fragment SegmentFields on Segment {\n    id\n    name\n    rule\n    isStatic\n    memberCount\n    refreshedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Segments($after: String) {\n    segments(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        ...SegmentFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Segments($after: String) {\n    segments(first: 20, after: $after) {\n      totalCount\n      pageInfo {\n        ...PageCursor\n      }\n      nodes {\n        ...SegmentFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSegment($id: ID!) {\n    refreshSegment(id: $id) {\n      ...SegmentFields\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSegment($id: ID!) {\n    refreshSegment(id: $id) {\n      ...SegmentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteSegment($id: ID!) {\n    deleteSegment(id: $id)\n  }\n"];
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
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      email\n      role\n      canWriteProfiles\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      id\n      email\n      role\n      canWriteProfiles\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSource($input: CreateSourceInput!) {\n    createSource(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSource($input: CreateSourceInput!) {\n    createSource(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSource($id: ID!, $input: UpdateSourceInput!) {\n    updateSource(id: $id, input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateSource($id: ID!, $input: UpdateSourceInput!) {\n    updateSource(id: $id, input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sources {\n    sources {\n      id\n      name\n      databaseUrlMasked\n      table\n      query\n      enabled\n      changeQuery\n      changeCheckSeconds\n      lastSync {\n        ...SyncCounts\n        startedAt\n        finishedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query Sources {\n    sources {\n      id\n      name\n      databaseUrlMasked\n      table\n      query\n      enabled\n      changeQuery\n      changeCheckSeconds\n      lastSync {\n        ...SyncCounts\n        startedAt\n        finishedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncCounts on SourceSync {\n    id\n    status\n    read\n    added\n    updated\n    removed\n    rejected\n    error\n  }\n"): (typeof documents)["\n  fragment SyncCounts on SourceSync {\n    id\n    status\n    read\n    added\n    updated\n    removed\n    rejected\n    error\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SyncSource($id: ID!) {\n    syncSource(id: $id) {\n      ...SyncCounts\n    }\n  }\n"): (typeof documents)["\n  mutation SyncSource($id: ID!) {\n    syncSource(id: $id) {\n      ...SyncCounts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSource($id: ID!) {\n    deleteSource(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteSource($id: ID!) {\n    deleteSource(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PageCursor on PageInfo {\n    hasNextPage\n    endCursor\n  }\n"): (typeof documents)["\n  fragment PageCursor on PageInfo {\n    hasNextPage\n    endCursor\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateToken($input: CreateTokenInput!) {\n    createToken(input: $input) {\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation CreateToken($input: CreateTokenInput!) {\n    createToken(input: $input) {\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeToken($id: ID!) {\n    revokeToken(id: $id) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeToken($id: ID!) {\n    revokeToken(id: $id) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users {\n    users {\n      id\n      email\n      role\n      canWriteProfiles\n      createdAt\n      tokens {\n        id\n        name\n        masked\n        createdAt\n        expiresAt\n        lastUsedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query Users {\n    users {\n      id\n      email\n      role\n      canWriteProfiles\n      createdAt\n      tokens {\n        id\n        name\n        masked\n        createdAt\n        expiresAt\n        lastUsedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n      canWriteProfiles\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n      canWriteProfiles\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      token\n      user {\n        id\n        email\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      token\n      user {\n        id\n        email\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveUser($id: ID!) {\n    removeUser(id: $id) {\n      user {\n        id\n        email\n      }\n      reassignedConnections {\n        id\n        displayName\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveUser($id: ID!) {\n    removeUser(id: $id) {\n      user {\n        id\n        email\n      }\n      reassignedConnections {\n        id\n        displayName\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;