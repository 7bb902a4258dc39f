# The therapist's group programs (/programs). HTML; user values arrive escaped.

programs-title = <b>Your group programs</b>
programs-empty = No programs yet. Create the first one: the admins check and publish it.
programs-new-button = ➕ New program
programs-attach-button = 📎 Presentation: { $title }
programs-submit-button = 📤 Submit for publication
programs-approach = { $id ->
    [psychodynamic] psychodynamic approach
    [existential] existential approach
    [cbt] cognitive behavioural therapy
    [gestalt] gestalt therapy
   *[other] another approach
}
programs-status = { $status ->
    [draft] draft
    [submitted] submitted for publication
    [returned] returned for changes
    [published] published
   *[archived] archived
}
programs-card =
    <b>{ $title }</b> — { $status }
    { $approach }; topic: { $topic }
    { $meetings } meetings of { $minutes } min, { $weekday } at { $time }
    Up to { $capacity } participants, { $price } per participant per meeting
    Presentation: { $presentation }
programs-presentation-yes = attached
programs-presentation-no = none
programs-intro = <b>New group program.</b> I will ask in turn: title, description, approach, topic, number of meetings (90 minutes each), day and time, seats and price. To leave: /cancel.
programs-ask-title = What is the program called? (up to 200 characters)
programs-ask-description = Describe the program: who it is for, how meetings go, what participants can expect (up to 3000 characters).
programs-ask-approach = Which approach does the program follow?
programs-ask-topic = The program's topic, briefly (e.g. "anxiety", "relationships").
programs-ask-meetings = How many meetings? Type a number from 1 to { $max }. Each meeting is 90 minutes.
programs-ask-weekday = On which weekday are the meetings?
programs-ask-time = When do meetings start? E.g. 19:00 ({ $zone }).
programs-ask-capacity = How many participants? From 5 to 12.
programs-ask-price = The price of one meeting per participant, in roubles (at least { $floor }). E.g. 1800.
programs-ask-presentation = Send the program's presentation as a file (PDF, up to 20 MB).
programs-too-long = Please send a non-empty text of at most { $max } characters.
programs-bad-meetings = Type a number of meetings from 1 to { $max }.
programs-bad-price = I did not understand the amount. Type the price in roubles, e.g. 1800 or 1,800.50.
programs-price-below-floor = A group meeting costs at least { $floor } per participant. Type another price.
programs-saved = The program draft is saved.
programs-presentation-saved = Presentation attached.
programs-document-too-big = The file is larger than 20 MB. Send a smaller one.
programs-not-now-document = No file is needed now — please answer the question first.
programs-not-editable = This program can no longer be changed: it is submitted or published.
programs-not-yours = This program is not one of yours. Nothing changed.
programs-needs-presentation = Attach the presentation first.
programs-submitted = The program is submitted for publication. The admins check and publish it; nobody can enrol before that.
programs-submitted-short = Submitted for publication.
programs-admin-card = <b>Group program for publication</b> from therapist { $therapist }
programs-admin-publish = ✅ Publish
programs-admin-return = ↩️ Return for changes
programs-admin-presentation = Presentation of the program "{ $title }"
programs-admin-decision = Decision: { $status } ({ $admin }).
programs-admin-decided = This program has been decided already: { $status }.
programs-published-therapist = Your program "{ $title }" is published: clients can enrol.
programs-returned-therapist = The admins returned your program "{ $title }" for changes. They will contact you; after the changes attach the presentation and submit the program again in /programs.
